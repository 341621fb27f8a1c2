package org.memvirt.engine.host;

import java.util.List;
import java.util.function.IntFunction;
import org.memvirt.api.Counter;
import org.memvirt.api.memory.HostMemory;
import org.memvirt.api.memory.HostMemoryState;

/**
 * The host's frame table: for each 4 KiB frame its holder and its content token, in
 * primitive arrays made in 2 MiB chunks as frames are first used (16 bytes a frame used,
 * next to nothing for frames never used; the free stack holds only frames freed, never
 * those not yet used). A frame is free, private
 * to one guest page (holder = the VM, tag = the guest page), shared (tag = its sharers), or
 * held by a technique (tag = its sharers: guest pages may map a held frame read-only).
 * Every change goes through one of the operations below, which refuse what the contract
 * forbids with a {@link FrameTableViolation}. Frames are handed out lowest first and
 * zeroed on the way to a VM, so no data leaks between VMs (ESX does the same).
 */
public final class HostFrames {
  /** Holder of a free frame. */
  public static final int FREE = -1;
  /** Holder of a shared frame (no technique holds it: freed with its last sharer). */
  public static final int SHARED = -2;
  /** Holder of a frame held by technique t: {@code HELD - t}. */
  private static final int HELD = -3;
  /** Frames in a 2 MiB block. */
  public static final int BLOCK = 512;

  private final int frames;
  private final LazyLongArray content;
  private final LazyIntArray holder;
  private final LazyIntArray tag;
  /** The small frames free: freed ones first, then those never used (the large pool apart). */
  private final FreeFrames free;
  /** First frames of the free 2 MiB blocks of the large-page pool. */
  private final int[] largePool;
  private int largeTop;
  private final FreeMemoryThresholds thresholds;
  private HostMemoryState state = HostMemoryState.HIGH;
  private final List<Counter> zeroedByVm;
  private final Counter zeroedForHolders;
  private IntFunction<String> vmNames = vm -> "vm" + vm;
  private IntFunction<String> holderNames = t -> "technique " + t;
  private long sharedFrames;
  private long heldInUse;
  private final long[] heldByTechnique = new long[64];

  /**
   * @param largeBlocks 2 MiB blocks reserved for large mappings (hugetlbfs backing), taken
   *     from the top of memory; a block is broken into 4 KiB frames when those run out
   * @param zeroedByVm the {@code frames_zeroed} counter of each VM, by VM index
   * @param zeroedForHolders the host's {@code frames_zeroed}: frames zeroed for techniques
   */
  public HostFrames(long frames, long largeBlocks, FreeMemoryThresholds thresholds, List<Counter> zeroedByVm,
      Counter zeroedForHolders) {
    this.frames = indexable(frames);
    this.content = new LazyLongArray(this.frames);
    this.holder = new LazyIntArray(this.frames, FREE);
    this.tag = new LazyIntArray(this.frames, 0);
    this.thresholds = thresholds;
    this.zeroedByVm = zeroedByVm;
    this.zeroedForHolders = zeroedForHolders;
    int firstLarge = (int) ((this.frames / BLOCK - largeBlocks) * BLOCK);
    if (largeBlocks < 0 || firstLarge < 0) {
      throw new IllegalArgumentException("more large blocks than host memory");
    }
    this.largePool = new int[(int) largeBlocks];
    for (int b = 0; b < largeBlocks; b++) {
      largePool[largeTop++] = (int) (firstLarge + ((long) largeBlocks - 1 - b) * BLOCK);
    }
    this.free = new FreeFrames(this.frames, firstLarge, (int) (firstLarge + largeBlocks * BLOCK));
  }

  /** Bytes of the frame table's chunks made so far (for measuring what the machine costs). */
  public long tableBytes() {
    return content.chunkBytes() + holder.chunkBytes() + tag.chunkBytes();
  }

  /** {@code frames} as an index: the table holds at most {@link Integer#MAX_VALUE} frames (8 TiB). */
  static int indexable(long frames) {
    if (frames > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("at most " + Integer.MAX_VALUE + " host frames");
    }
    return (int) frames;
  }

  /** Names VMs and techniques in messages. */
  public void names(IntFunction<String> vms, IntFunction<String> techniques) {
    this.vmNames = vms;
    this.holderNames = techniques;
  }

  // ---- allocation ------------------------------------------------------------------

  /** Free 2 MiB blocks in the large-page pool. */
  public long largeBlocksFree() {
    return largeTop;
  }

  /**
   * A zeroed 2 MiB block for guest pages {@code gppnBase}..+511 of VM {@code vm} (zeroing
   * counted), or {@link HostMemory#NO_FRAME} when the pool is empty. Its frames are private
   * to their pages and freed one by one.
   */
  public long allocateLarge(int vm, long gppnBase) {
    if (largeTop == 0) {
      return HostMemory.NO_FRAME;
    }
    int base = largePool[--largeTop];
    for (int i = 0; i < BLOCK; i++) {
      holder.set(base + i, vm);
      tag.set(base + i, (int) gppnBase + i);
      content.set(base + i, 0);
    }
    zeroedByVm.get(vm).add(BLOCK);
    return base;
  }

  public long totalFrames() {
    return frames;
  }

  public long freeFrames() {
    return free.size() + (long) largeTop * BLOCK;
  }

  /** The free-memory state now, with hysteresis. */
  public HostMemoryState state() {
    state = thresholds.next(state, (double) freeFrames() / frames);
    return state;
  }

  /** Free frames below which the host enters {@code s} (for HIGH: the level that brings it back). */
  public long thresholdFrames(HostMemoryState s) {
    return (long) Math.ceil(thresholds.fraction(s) * frames);
  }

  /** A zeroed frame private to (vm, gppn), or {@link HostMemory#NO_FRAME}. */
  public long allocate(int vm, long gppn) {
    int f = pop();
    if (f < 0) {
      return HostMemory.NO_FRAME;
    }
    holder.set(f, vm);
    tag.set(f, (int) gppn);
    content.set(f, 0);
    zeroedByVm.get(vm).increment();
    return f;
  }

  /** A zeroed frame held by technique {@code technique}, or {@link HostMemory#NO_FRAME}. */
  public long allocateHeld(int technique) {
    int f = pop();
    if (f < 0) {
      return HostMemory.NO_FRAME;
    }
    holder.set(f, HELD - technique);
    tag.set(f, 0);
    content.set(f, 0);
    heldByTechnique[technique]++;
    zeroedForHolders.increment();
    return f;
  }

  private int pop() {
    int f = free.take();
    if (f >= 0 || largeTop == 0) {
      return f;
    }
    // Small frames gone: a 2 MiB block is broken, its lowest frame first.
    int base = largePool[--largeTop];
    for (int i = BLOCK - 1; i > 0; i--) {
      free.give(base + i);
    }
    return base;
  }

  /** Frees a private frame, or a held frame with no sharers. */
  public void free(long hppn) {
    int f = frame(hppn);
    int h = holder.get(f);
    if (h == FREE) {
      throw new FrameTableViolation("host frame " + hppn + " freed twice");
    }
    if (h == SHARED || (h <= HELD && tag.get(f) != 0)) {
      throw new FrameTableViolation("host frame " + hppn + " freed while " + tag.get(f) + " guest pages share it ("
          + describe(f) + ")");
    }
    if (h <= HELD) {
      heldByTechnique[HELD - h]--;
    }
    holder.set(f, FREE);
    free.give(f);
  }

  // ---- sharing ---------------------------------------------------------------------

  /** A private frame becomes shared, its page the one sharer. */
  public void share(long hppn) {
    int f = frame(hppn);
    if (holder.get(f) < 0) {
      throw new FrameTableViolation("host frame " + hppn + " shared but it is not private (" + describe(f) + ")");
    }
    holder.set(f, SHARED);
    tag.set(f, 1);
    sharedFrames++;
  }

  /** One more sharer of a shared or held frame. */
  public void addSharer(long hppn) {
    int f = frame(hppn);
    if (holder.get(f) != SHARED && holder.get(f) > HELD) {
      throw new FrameTableViolation("host frame " + hppn + " gained a sharer but it is not shared (" + describe(f) + ")");
    }
    tag.set(f, tag.get(f) + 1);
    if (holder.get(f) != SHARED && tag.get(f) == 1) {
      heldInUse++;
    }
  }

  /** One sharer fewer; a shared frame left with none is freed. Returns the sharers left. */
  public long dropSharer(long hppn) {
    int f = frame(hppn);
    if ((holder.get(f) != SHARED && holder.get(f) > HELD) || tag.get(f) == 0) {
      throw new FrameTableViolation("host frame " + hppn + " lost a sharer it does not have (" + describe(f) + ")");
    }
    int left = tag.get(f) - 1;
    tag.set(f, left);
    if (holder.get(f) != SHARED && left == 0) {
      heldInUse--;
    }
    if (holder.get(f) == SHARED) {
      if (left == 0) {
        sharedFrames--;
        holder.set(f, FREE);
        free.give(f);
      }
    }
    return left;
  }

  /** A shared frame with one sharer left becomes private to (vm, gppn). */
  public void makePrivate(long hppn, int vm, long gppn) {
    int f = frame(hppn);
    if (holder.get(f) != SHARED || tag.get(f) != 1) {
      throw new FrameTableViolation("host frame " + hppn + " made private to " + vmNames.apply(vm) + " page " + gppn
          + " but it is not shared by one page (" + describe(f) + ")");
    }
    sharedFrames--;
    holder.set(f, vm);
    tag.set(f, (int) gppn);
  }

  // ---- moving between holders -------------------------------------------------------

  /** A private or unshared held frame becomes private to (vm, gppn); zeroed unless it stays in one VM. */
  public void give(long hppn, int vm, long gppn) {
    int f = frame(hppn);
    int h = holder.get(f);
    if (h == FREE || h == SHARED || (h <= HELD && tag.get(f) != 0)) {
      throw new FrameTableViolation("host frame " + hppn + " given to " + vmNames.apply(vm) + " page " + gppn
          + " but it is " + describe(f));
    }
    if (h <= HELD) {
      heldByTechnique[HELD - h]--;
    }
    if (h != vm) {
      content.set(f, 0);
      zeroedByVm.get(vm).increment();
    }
    holder.set(f, vm);
    tag.set(f, (int) gppn);
  }

  /** A private frame becomes held by {@code technique}, content kept. */
  public void take(long hppn, int technique) {
    int f = frame(hppn);
    if (holder.get(f) < 0) {
      throw new FrameTableViolation("host frame " + hppn + " taken by " + holderNames.apply(technique)
          + " but it is not private (" + describe(f) + ")");
    }
    holder.set(f, HELD - technique);
    tag.set(f, 0);
    heldByTechnique[technique]++;
  }

  // ---- reading the table ---------------------------------------------------------------

  public long content(long hppn) {
    return content.get(hppn);
  }

  public void setContent(long hppn, long token) {
    content.set(hppn, token);
  }

  /** The holder of a frame: a VM index (private), {@link #FREE}, {@link #SHARED}, or a held code. */
  public int holder(long hppn) {
    return holder.get(hppn);
  }

  /** Whether the frame is private to guest page {@code gppn} of VM {@code vm}. */
  public boolean privateTo(long hppn, int vm, long gppn) {
    return hppn >= 0 && hppn < frames && holder.get(hppn) == vm && vm >= 0 && tag.get(hppn) == gppn;
  }

  /** The guest page a private frame belongs to. */
  public long privateGppn(long hppn) {
    return tag.get(hppn);
  }

  /** Whether the frame may be mapped read-only by several pages: shared, or held. */
  public boolean shareable(long hppn) {
    if (hppn < 0 || hppn >= frames) {
      return false;
    }
    int h = holder.get(hppn);
    return h == SHARED || h <= HELD;
  }

  /** Whether the frame is held by a technique (not charged to any VM). */
  public boolean held(long hppn) {
    return holder.get(hppn) <= HELD;
  }

  /** Sharers of a shared or held frame; 0 otherwise. */
  public long sharers(long hppn) {
    return shareable(hppn) ? tag.get(hppn) : 0;
  }

  /** Frames shared now (not held): ESX's {@code shared_common}. */
  public long sharedFrames() {
    return sharedFrames;
  }

  /** Held frames that guest pages map (a shared zero page, stable frames). */
  public long heldFramesMapped() {
    return heldInUse;
  }

  /** Frames technique {@code technique} holds. */
  public long heldFrames(int technique) {
    return heldByTechnique[technique];
  }

  /** Frames all techniques hold. */
  public long heldFrames() {
    long n = 0;
    for (long h : heldByTechnique) {
      n += h;
    }
    return n;
  }

  /** The frame's holder in words, for messages. */
  public String describe(long hppn) {
    int f = (int) hppn;
    int h = holder.get(f);
    if (h == FREE) {
      return "free";
    }
    if (h == SHARED) {
      return "shared by " + tag.get(f);
    }
    if (h <= HELD) {
      return "held by " + holderNames.apply(HELD - h) + ", shared by " + tag.get(f);
    }
    return "private to " + vmNames.apply(h) + " guest page " + tag.get(f);
  }

  private int frame(long hppn) {
    if (hppn < 0 || hppn >= frames) {
      throw new FrameTableViolation("no host frame " + hppn + " (the host has " + frames + ")");
    }
    return (int) hppn;
  }
}
