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
  private final FreeMemoryThresholds thresholds;
  private HostMemoryState state = HostMemoryState.HIGH;
  private final List<Counter> zeroedByVm;

  /**
   * @param zeroedByVm the {@code frames_zeroed} counter of each VM, by VM index
   */
  public HostFrames(long frames, FreeMemoryThresholds thresholds, List<Counter> zeroedByVm) {
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
    for (int i = 0; i < this.frames; i++) {
      ownerVm[i] = FREE;
      freeStack[i] = this.frames - 1 - i;
    }
    freeTop = this.frames;
  }

  @Override
  public long totalFrames() {
    return frames;
  }

  @Override
  public long freeFrames() {
    return freeTop;
  }

  @Override
  public HostMemoryState state() {
    state = thresholds.next(state, (double) freeTop / frames);
    return state;
  }

  @Override
  public long allocate(int vm, long gppn) {
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
