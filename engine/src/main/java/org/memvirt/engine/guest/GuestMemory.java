package org.memvirt.engine.guest;

import java.util.List;
import org.memvirt.api.Counter;
import org.memvirt.api.memory.Pages;
import org.memvirt.api.mmu.Pte;
import org.memvirt.api.reclaim.FaultCause;
import org.memvirt.api.reclaim.GuestMemoryListener;
import org.memvirt.api.reclaim.GuestOs;
import org.memvirt.engine.config.ExperimentException;

/**
 * The guest's memory: frames for the kernel's own use from its allocator
 * ({@link GuestFrames}), page replacement to the swap device with kswapd's watermark, the
 * drivers told of memory pressure, and the face a balloon driver sees ({@link GuestOs}).
 * Page tables are never swapped, as in Linux.
 */
public final class GuestMemory implements GuestOs {
  private static final int BLOCK = GuestFrames.BLOCK;

  private final String vmName;
  private final int vmIndex;
  private final GuestFrames frames;
  private final PageReplacement replacement;
  private final GuestSwapDevice swap;
  private final AddressSpaces spaces;
  private final List<GuestProcess> processes;
  private final Counter swapOuts;
  private GuestHardware hardware;
  /** Free pages kswapd keeps (its high watermark); it wakes below half of it. 0: off. */
  private long freeTarget;

  GuestMemory(String vmName, int vmIndex, GuestFrames frames, PageReplacement replacement, GuestSwapDevice swap,
      AddressSpaces spaces, List<GuestProcess> processes, Counter swapOuts) {
    this.vmName = vmName;
    this.vmIndex = vmIndex;
    this.frames = frames;
    this.replacement = replacement;
    this.swap = swap;
    this.spaces = spaces;
    this.processes = processes;
    this.swapOuts = swapOuts;
  }

  void attach(GuestHardware hardware) {
    this.hardware = hardware;
  }

  void keepFree(long pages) {
    this.freeTarget = pages;
  }

  /** A free guest frame for the kernel's own use; the run ends when the guest has none to give. */
  long allocateFrame() {
    long frame = tryAllocateFrame();
    if (frame >= 0) {
      return frame;
    }
    if (replacement.size() == 0) {
      throw new ExperimentException("vm " + vmName + ": guest out of memory: page tables and pinned pages fill all "
          + frames.frames() + " of its pages; give it more memory");
    }
    if (swap.capacity() == 0) {
      throw new ExperimentException("vm " + vmName + ": guest out of memory: all " + frames.frames() + " of its pages "
          + "are in use" + (frames.pinned() > 0 ? " (" + frames.pinned() + " pinned by its drivers, a balloon's among "
          + "them)" : "") + " and it has no swap device (vms[" + vmIndex + "].guest.swap: 0); give it swap or memory, "
          + "or lower the footprint");
    }
    throw new ExperimentException("vm " + vmName + ": guest swap device full (" + swap.capacity()
        + " pages); raise vms[" + vmIndex + "].guest.swap or lower the footprint");
  }

  /**
   * A free guest frame: from the free list, else by swapping a page out, else from the
   * drivers told of the guest's memory pressure (deflate-on-OOM); -1 when none of these can.
   */
  private long tryAllocateFrame() {
    if (frames.free() == 0 && !evictOne()) {
      for (int i = 0; i < frames.listeners().size() && frames.free() == 0; i++) {
        frames.listeners().get(i).onOutOfMemory(1);
      }
      if (frames.free() == 0) {
        return -1;
      }
    }
    int frame = frames.take();
    if (frames.free() < freeTarget / 2) {
      while (frames.free() < freeTarget && evictOne()) {
        // kswapd: reclaim up to the high watermark
      }
    }
    return frame;
  }

  /** Swaps one page out to free its frame; false when nothing can go (nothing evictable, swap full). */
  private boolean evictOne() {
    if (replacement.size() == 0 || swap.used() == swap.capacity()) {
      return false;
    }
    int victim = replacement.victim(this::testAndClearAccessed);
    if (victim < 0) {
      return false;
    }
    GuestProcess owner = processes.get(frames.user(victim));
    long gva = Pages.address(frames.tag(victim));
    int slot = swap.allocate();
    swap.write(slot, hardware.readPhysical(victim, FaultCause.GUEST_IO));
    swapOuts.increment();
    long leaf = spaces.leafTableOf(owner, gva);
    spaces.writeEntry(leaf, Pte.index(gva, 1), Pte.make(slot, Pte.SWAPPED));
    hardware.invalidatePage(owner, gva);
    frames.release(victim);
    return true;
  }

  private boolean testAndClearAccessed(int frame) {
    GuestProcess owner = processes.get(frames.user(frame));
    long gva = Pages.address(frames.tag(frame));
    long leaf = spaces.leafTableOf(owner, gva);
    int index = Pte.index(gva, 1);
    long entry = spaces.tableOf(leaf)[index];
    if ((entry & Pte.ACCESSED) == 0) {
      return false;
    }
    // Like Linux's ptep_clear_flush_young on x86: clear the bit and flush the TLB entry,
    // so the next access walks again and sets it.
    spaces.writeEntry(leaf, index, entry & ~Pte.ACCESSED);
    hardware.invalidatePage(owner, gva);
    return true;
  }

  // ---- GuestOs: the balloon driver's hooks ---------------------------------------------

  @Override
  public long usedPages() {
    return frames.frames() - frames.free() - (long) frames.hugeFree() * BLOCK;
  }

  /**
   * Of the frames free in the guest (its free lists and its 2 MiB pool), how many satisfy
   * {@code test} (the host's question: which of them does it still back?); {@code inRange}
   * answers it for a range of frames at once (see {@link GuestFrames#countFree}).
   */
  public long countFree(java.util.function.LongPredicate test, java.util.function.LongBinaryOperator inRange) {
    return frames.countFree(test, inRange);
  }

  /** Free 2 MiB pages left in the pool reserved at boot. */
  public long hugePagesFree() {
    return frames.hugeFree();
  }

  @Override
  public long pinnedPages() {
    return frames.pinned();
  }

  @Override
  public long freePages() {
    return frames.free();
  }

  @Override
  public void addListener(GuestMemoryListener listener) {
    frames.addListener(listener);
  }

  @Override
  public long pinPage() {
    if (frames.free() == 0 && !evictOne()) {
      return -1;
    }
    return pinFreePage();
  }

  @Override
  public long pinFreePage() {
    if (frames.free() == 0) {
      return -1;
    }
    long frame = frames.take();
    frames.pin((int) frame);
    return frame;
  }

  @Override
  public boolean isFree(long gppn) {
    return gppn >= 0 && gppn < frames.frames() && frames.user(gppn) == GuestFrames.FREE;
  }

  @Override
  public void unpinPage(long gppn) {
    if (frames.user(gppn) != GuestFrames.PINNED) {
      throw new IllegalStateException("guest page " + gppn + " of vm " + vmName + " is not pinned");
    }
    frames.unpin((int) gppn);
  }

  /** Pages in the guest swap device now. */
  public long swappedPages() {
    return swap.used();
  }
}
