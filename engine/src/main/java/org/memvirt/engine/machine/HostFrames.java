package org.memvirt.engine.machine;

import java.util.List;
import org.memvirt.api.Counter;
import org.memvirt.api.MetricNames;
import org.memvirt.api.memory.HostMemory;
import org.memvirt.api.memory.HostMemoryState;

/**
 * The host's frame table: for each 4 KiB frame its owner (VM and guest physical page) and
 * its content token, in primitive arrays (12 bytes a frame, plus 4 in the free stack).
 * Frames are handed out lowest first and zeroed on the way out, so no data leaks between
 * VMs (ESX does the same).
 */
public final class HostFrames implements HostMemory {
  /** Owner value of a free frame. */
  public static final int FREE = -1;

  private final int frames;
  private final long[] content;
  private final int[] ownerVm;
  private final int[] ownerGppn;
  private final int[] freeStack;
  private int freeTop;
  /** First frames of the free 2 MiB blocks of the large-page pool. */
  private final int[] largePool;
  private int largeTop;
  private final FreeMemoryThresholds thresholds;
  private HostMemoryState state = HostMemoryState.HIGH;
  private final List<Counter> zeroedByVm;

  /**
   * @param largeBlocks 2 MiB blocks reserved for large mappings (hugetlbfs backing), taken
   *     from the top of memory; a block is broken into 4 KiB frames when those run out
   * @param zeroedByVm the {@code frames_zeroed} counter of each VM, by VM index
   */
  public HostFrames(long frames, long largeBlocks, FreeMemoryThresholds thresholds, List<Counter> zeroedByVm) {
    if (frames > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("at most " + Integer.MAX_VALUE + " host frames");
    }
    this.frames = (int) frames;
    this.content = new long[this.frames];
    this.ownerVm = new int[this.frames];
    this.ownerGppn = new int[this.frames];
    this.freeStack = new int[this.frames];
    this.thresholds = thresholds;
    this.zeroedByVm = zeroedByVm;
    int firstLarge = (int) ((this.frames / BLOCK - largeBlocks) * BLOCK);
    if (largeBlocks < 0 || firstLarge < 0) {
      throw new IllegalArgumentException("more large blocks than host memory");
    }
    this.largePool = new int[(int) largeBlocks];
    for (int b = 0; b < largeBlocks; b++) {
      largePool[largeTop++] = (int) (firstLarge + ((long) largeBlocks - 1 - b) * BLOCK);
    }
    for (int i = this.frames - 1; i >= 0; i--) {
      ownerVm[i] = FREE;
      if (i < firstLarge || i >= firstLarge + largeBlocks * BLOCK) {
        freeStack[freeTop++] = i;
      }
    }
  }

  /** Frames in a 2 MiB block. */
  public static final int BLOCK = 512;

  /** Free 2 MiB blocks in the large-page pool. */
  public long largeBlocksFree() {
    return largeTop;
  }

  /**
   * A zeroed 2 MiB block for guest pages {@code gppnBase}..+511 of VM {@code vm} (zeroing
   * counted), or {@link #NO_FRAME} when the pool is empty. Its frames are freed one by one.
   */
  public long allocateLarge(int vm, long gppnBase) {
    if (largeTop == 0) {
      return NO_FRAME;
    }
    int base = largePool[--largeTop];
    for (int i = 0; i < BLOCK; i++) {
      ownerVm[base + i] = vm;
      ownerGppn[base + i] = (int) gppnBase + i;
      content[base + i] = 0;
    }
    zeroedByVm.get(vm).add(BLOCK);
    return base;
  }

  @Override
  public long totalFrames() {
    return frames;
  }

  @Override
  public long freeFrames() {
    return freeTop + (long) largeTop * BLOCK;
  }

  @Override
  public HostMemoryState state() {
    state = thresholds.next(state, (double) freeFrames() / frames);
    return state;
  }

  @Override
  public long allocate(int vm, long gppn) {
    if (freeTop == 0 && largeTop > 0) {
      int base = largePool[--largeTop];
      for (int i = BLOCK - 1; i >= 0; i--) {
        freeStack[freeTop++] = base + i;
      }
    }
    if (freeTop == 0) {
      return NO_FRAME;
    }
    int hppn = freeStack[--freeTop];
    ownerVm[hppn] = vm;
    ownerGppn[hppn] = (int) gppn;
    content[hppn] = 0;
    zeroedByVm.get(vm).increment();
    return hppn;
  }

  @Override
  public void free(long hppn) {
    int f = (int) hppn;
    if (ownerVm[f] == FREE) {
      throw new IllegalStateException("host frame " + hppn + " freed twice");
    }
    ownerVm[f] = FREE;
    freeStack[freeTop++] = f;
  }

  @Override
  public long content(long hppn) {
    return content[(int) hppn];
  }

  @Override
  public void setContent(long hppn, long token) {
    content[(int) hppn] = token;
  }

  /** Whether frame {@code hppn} is owned by guest page {@code gppn} of VM {@code vm}. */
  public boolean ownedBy(long hppn, int vm, long gppn) {
    return ownerVm[(int) hppn] == vm && ownerGppn[(int) hppn] == gppn;
  }
}
