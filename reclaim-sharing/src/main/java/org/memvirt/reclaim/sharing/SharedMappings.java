package org.memvirt.reclaim.sharing;

import org.memvirt.api.Counter;
import org.memvirt.api.memory.HostMemory;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.FaultCause;
import org.memvirt.api.reclaim.VmMemory;

/**
 * The frame side of sharing, in the spine's terms: a page joins a shared frame read-only
 * and its own frame is freed; a private frame becomes shared; pages of zeros map to one
 * zero frame this technique holds; and a write gives a sharer a private frame again
 * (a copy, or the frame itself for its last sharer). Change the frame first, then the entry.
 */
final class SharedMappings {
  private final HostMemory host;
  private final int owner;
  private long zeroFrame = HostMemory.NO_FRAME;
  /** Which pages map each shared frame; null until a technique first asks for a frame whole. */
  private SharerIndex index;

  SharedMappings(HostMemory host, int owner) {
    this.host = host;
    this.owner = owner;
  }

  HostMemory host() {
    return host;
  }

  /** The entry of a page mapping {@code frame} shared, held by this technique. */
  long sharedEntry(long frame) {
    return P2mEntry.of(P2mEntry.SHARED, frame, owner);
  }

  /** Whether {@code entry} is a private page a scanner may merge: mapped, owner 0, a 4 KiB mapping. */
  static boolean candidate(long entry) {
    return P2mEntry.state(entry) == P2mEntry.MAPPED && P2mEntry.owner(entry) == 0 && !P2mEntry.large(entry);
  }

  /** Whether {@code entry} is a page this technique shares. */
  boolean ours(long entry) {
    return P2mEntry.state(entry) == P2mEntry.SHARED && P2mEntry.owner(entry) == owner;
  }

  boolean isZeroFrame(long frame) {
    return frame == zeroFrame && frame != HostMemory.NO_FRAME;
  }

  /** Frames held now: the zero frame once some page needed it. */
  long zeroFrame() {
    return zeroFrame;
  }

  /** Page {@code gppn}, private with {@code frame}, joins shared frame {@code shared}; its frame is freed. */
  void join(VmMemory vm, long gppn, long frame, long shared) {
    host.addSharer(shared);
    vm.p2m().set(gppn, sharedEntry(shared));
    host.free(frame);
    if (index != null && shared != zeroFrame) {
      index.add(shared, SharerIndex.item(vm.index(), gppn));
    }
  }

  /** Page {@code gppn}'s private {@code frame} becomes shared, the page its one sharer. */
  void promote(VmMemory vm, long gppn, long frame) {
    host.share(frame);
    vm.p2m().set(gppn, sharedEntry(frame));
    if (index != null) {
      index.add(frame, SharerIndex.item(vm.index(), gppn));
    }
  }

  /**
   * Page {@code gppn}, private with {@code frame} of zeros, maps the zero frame instead. False
   * when the zero frame cannot be had (no frame free for it), or when taking one for it made
   * another technique take the page.
   */
  boolean joinZero(VmMemory vm, long gppn, long frame) {
    if (zeroFrame == HostMemory.NO_FRAME) {
      zeroFrame = host.allocateHeld();
      if (zeroFrame == HostMemory.NO_FRAME) {
        return false;
      }
      // Finding a frame may have made other techniques reclaim, this very page among them.
      long e = vm.p2m().get(gppn);
      if (!candidate(e) || P2mEntry.value(e) != frame) {
        return false;
      }
    }
    join(vm, gppn, frame, zeroFrame);
    return true;
  }

  /**
   * Gives page {@code gppn}, mapping {@code frame} shared, a private frame: the frame itself
   * when the page is its last sharer (and it is not the zero frame), else a new one holding
   * a copy (none for a whole-page overwrite, nor for the zero frame: a new frame is zeroed).
   * Returns the sharers {@code frame} has left (0: it is gone), or -1 when no frame could be
   * had, the page left shared.
   */
  long unshare(VmMemory vm, long gppn, long frame, FaultCause cause, Counters counters) {
    boolean zero = isZeroFrame(frame);
    if (!zero && host.sharers(frame) == 1) {
      unindex(vm, gppn, frame);
      host.makePrivate(frame, vm.index(), gppn);
      vm.p2m().set(gppn, P2mEntry.mapped(frame));
      counters.reused.increment();
      return 0;
    }
    long copy = host.allocate(vm.index(), gppn);
    if (copy == HostMemory.NO_FRAME) {
      return -1;
    }
    if (zero) {
      counters.zeroBreaks.increment();
    } else if (cause.overwrites()) {
      counters.overwrites.increment();
    } else {
      host.setContent(copy, host.content(frame));
      counters.copies.increment();
      if (counters.hostCopies != null) {
        counters.hostCopies.increment();
      }
    }
    unindex(vm, gppn, frame);
    vm.p2m().set(gppn, P2mEntry.mapped(copy));
    return host.dropSharer(frame);
  }

  /** Page {@code gppn} gives up {@code frame} altogether (its content no longer matters): unbacked. */
  long drop(VmMemory vm, long gppn, long frame) {
    unindex(vm, gppn, frame);
    vm.p2m().set(gppn, 0);
    return host.dropSharer(frame);
  }

  /** Page {@code gppn} of {@code vm}, mapping {@code frame}, goes to the engine: shared, owner 0 (a hand-over). */
  void handOver(VmMemory vm, long gppn, long frame) {
    unindex(vm, gppn, frame);
    vm.p2m().set(gppn, P2mEntry.of(P2mEntry.SHARED, frame, 0));
  }

  /** The pages mapping shared {@code frame} (not the zero frame), as {@link SharerIndex} items; builds the index on first use. */
  long[] sharersOf(long frame, java.util.List<VmMemory> vms) {
    if (index == null) {
      index = new SharerIndex();
      for (VmMemory vm : vms) {
        for (long g = 0; g < vm.pages(); g++) {
          long e = vm.p2m().get(g);
          if (ours(e) && !isZeroFrame(P2mEntry.value(e))) {
            index.add(P2mEntry.value(e), SharerIndex.item(vm.index(), g));
          }
        }
      }
    }
    return index.sharers(frame);
  }

  private void unindex(VmMemory vm, long gppn, long frame) {
    if (index != null && frame != zeroFrame) {
      index.remove(SharerIndex.item(vm.index(), gppn));
    }
  }

  /** The per-VM counters of breaking sharing, and a host-wide count of copies (KSM's cow_ksm) or null. */
  record Counters(Counter copies, Counter overwrites, Counter reused, Counter zeroBreaks, Counter hostCopies) {
    static Counters of(VmMemory vm, Counter hostCopies) {
      return new Counters(vm.metrics().counter(SharingMetrics.COW_BREAKS.name()),
          vm.metrics().counter(SharingMetrics.COW_OVERWRITES.name()), vm.metrics().counter(SharingMetrics.COW_REUSED.name()),
          vm.metrics().counter(SharingMetrics.ZERO_BREAKS.name()), hostCopies);
    }
  }
}
