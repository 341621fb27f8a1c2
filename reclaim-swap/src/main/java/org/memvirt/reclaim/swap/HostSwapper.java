package org.memvirt.reclaim.swap;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.memvirt.api.Counter;
import org.memvirt.api.memory.HostMemory;
import org.memvirt.api.memory.Content;
import org.memvirt.api.memory.HostMemoryState;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.FaultCause;
import org.memvirt.api.reclaim.LimitReach;
import org.memvirt.api.reclaim.ReclaimContext;
import org.memvirt.api.reclaim.Reclaimer;
import org.memvirt.api.reclaim.VmMemory;

/**
 * Hypervisor (uncooperative) swapping: under pressure the host writes guest pages to its
 * own swap device behind the guest's back and frees their frames; a touch reads the page
 * back while the vCPU waits. Page-outs are asynchronous and clustered (ESX): nobody waits
 * for them. A victim that is all zeros is not written but becomes a zero entry (ESX, KVM).
 *
 * <p>Its pathologies are counted as they happen (Amit et al., ASPLOS'14): double paging (the
 * guest reads a swapped page to write it to its own swap device); false and stale swap
 * reads (the guest overwrites a swapped page whole, from the CPU or from its swap device,
 * yet the host reads it back first); silent swap writes (the host writes a page whose
 * content is already on the guest's swap device, the guest having freed it); decayed
 * sequentiality (consecutive guest pages read back from scattered slots). With
 * {@code mapper} VSwapper's fixes apply: the Swap Mapper drops such pages instead of
 * writing them, the False Reads Preventer reads nothing back for a page being overwritten.
 *
 * <p>With {@code compression} (ESX's memory compression), a victim that compresses to half a
 * page or less goes to the VM's compression cache instead of the device; a touch
 * decompresses it, far faster than a swap-in.
 *
 * <p>With {@code shared}, a page that another technique shares is a victim too: its holder
 * hands the frame over whole ({@link VmMemory#requestReleaseShared}), it is written once,
 * and every page that mapped it points to that one slot ({@link SharedSlots}). The first of
 * them to fault reads it back into a frame the others then map shared, as Linux's swap cache
 * serves a KSM page's other mappings; a write to it copies.
 */
final class HostSwapper implements Reclaimer {
  private final ReclaimContext ctx;
  private final SwapSettings settings;
  private final VictimPolicy victims;
  private final List<PerVm> vms = new ArrayList<>();
  private final SharedSlots shared = new SharedSlots();

  /** A VM's device and counters, and the last page read back (for sequentiality). */
  private static final class PerVm {
    final SwapDevice device;
    final Counter out;
    final Counter in;
    final Counter inPriced;
    final Counter clusters;
    final Counter zero;
    final Counter full;
    final Counter doublePaging;
    final Counter falseReads;
    final Counter staleReads;
    final Counter readsAvoided;
    final Counter silentWrites;
    final Counter writesAvoided;
    /** Guest pages whose content is on the guest's swap device, freed since and not overwritten: a bit each. */
    final BitSet onGuestDisk;
    final CompressionCache cache;
    final Counter compressions;
    final Counter decompressions;
    final Counter zipFrames;
    final Counter zipSaved;
    final Counter sequential;
    final Counter sequentialSlots;
    final Counter swappedShared;
    final Counter cacheHits;
    long lastIn = -2;
    int lastSlot = -2;

    /** Keeps the cache's gauges equal to the cache. */
    void cacheChanged() {
      zipFrames.add(cache.framesHeld() - zipFrames.get());
      zipSaved.add(cache.pages() - cache.framesHeld() - zipSaved.get());
    }

    boolean isOnGuestDisk(long g) {
      return onGuestDisk.get((int) g);
    }

    PerVm(VmMemory vm, long slots, SwapSettings settings, ReclaimContext ctx) {
      String device = settings.device();
      this.device = new SwapDevice(slots);
      this.cache = settings.compression()
          ? new CompressionCache(ctx.host(), (int) (settings.zipMaxPct() * vm.pages())) : null;
      this.compressions = ctx.hostMetrics().counter(SwapMetrics.COMPRESSIONS.name());
      this.decompressions = vm.metrics().counter(SwapMetrics.DECOMPRESSIONS.name());
      this.zipFrames = vm.metrics().counter(SwapMetrics.ZIP_FRAMES.name());
      this.zipSaved = vm.metrics().counter(SwapMetrics.ZIP_SAVED.name());
      this.out = vm.metrics().counter(SwapMetrics.PSWPOUT.name());
      this.in = vm.metrics().counter(SwapMetrics.PSWPIN.name());
      this.inPriced = vm.metrics().counter(device.equals("disk") ? SwapMetrics.PSWPIN_DISK.name() : SwapMetrics.PSWPIN_SSD.name());
      this.clusters = vm.metrics().counter(SwapMetrics.CLUSTERS.name());
      this.zero = vm.metrics().counter(SwapMetrics.ZERO.name());
      this.full = vm.metrics().counter(SwapMetrics.DEVICE_FULL.name());
      this.doublePaging = vm.metrics().counter(SwapMetrics.DOUBLE_PAGING.name());
      this.falseReads = vm.metrics().counter(SwapMetrics.FALSE_READS.name());
      this.staleReads = vm.metrics().counter(SwapMetrics.STALE_READS.name());
      this.readsAvoided = vm.metrics().counter(SwapMetrics.READS_AVOIDED.name());
      this.silentWrites = vm.metrics().counter(SwapMetrics.SILENT_WRITES.name());
      this.writesAvoided = vm.metrics().counter(SwapMetrics.WRITES_AVOIDED.name());
      this.onGuestDisk = new BitSet(Math.toIntExact(vm.pages()));
      this.sequential = vm.metrics().counter(SwapMetrics.SEQUENTIAL.name());
      this.sequentialSlots = vm.metrics().counter(SwapMetrics.SEQUENTIAL_SLOTS.name());
      this.swappedShared = vm.metrics().counter(SwapMetrics.SWAPPED_SHARED.name());
      this.cacheHits = vm.metrics().counter(SwapMetrics.SWAP_CACHE_HITS.name());
    }
  }

  HostSwapper(ReclaimContext ctx, SwapSettings settings) {
    this.ctx = ctx;
    this.settings = settings;
    this.victims = settings.victims().equals("clock") ? new VictimPolicy.Clock()
        : new VictimPolicy.Random(ctx.seed());
    for (VmMemory vm : ctx.vms()) {
      vms.add(new PerVm(vm, settings.slotsFor(vm, ctx.settings()), settings, ctx));
    }
  }

  @Override
  public HostMemoryState actsFrom() {
    return settings.actsFrom();
  }

  @Override
  public long reclaim(VmMemory vm, long pages) {
    PerVm v = vms.get(vm.index());
    long freed = 0;
    long written = 0;
    int slot;
    boolean[] tookFrame = new boolean[1];
    int refused = 0;
    while (freed < pages && vm.backedPages() > vm.minPages()) {
      long g = victims.pick(vm, settings.shared(), ctx.ownerId());
      if (g < 0) {
        break;
      }
      if (P2mEntry.state(vm.p2m().get(g)) == P2mEntry.SHARED) {
        int out = takeShared(vm, g);
        if (out < 0) {
          if (++refused == REFUSALS) {
            break; // the shared pages left are ones their holder keeps
          }
          continue;
        }
        refused = 0;
        written += out;
        freed++;
        continue;
      }
      long frame = P2mEntry.value(vm.p2m().get(g));
      long content = ctx.host().content(frame);
      boolean copyOnGuestDisk = v.isOnGuestDisk(g);
      if (copyOnGuestDisk && settings.mapper()) {
        // The Swap Mapper: the guest's disk has this content and the guest freed the page,
        // so nothing needs writing; the page's next use overwrites it whole.
        vm.p2m().set(g, 0);
        v.writesAvoided.increment();
      } else if (settings.zeroPages() && content == 0) {
        vm.p2m().set(g, P2mEntry.of(P2mEntry.ZERO, 0, ctx.ownerId()));
        v.zero.increment();
      } else if (v.cache != null && Content.compressedSixteenths(content) <= 8
          && (slot = v.cache.store(g, content, tookFrame)) >= 0) {
        vm.p2m().set(g, P2mEntry.of(P2mEntry.COMPRESSED, slot, ctx.ownerId()));
        v.compressions.increment();
        v.cacheChanged();
        // The victim's frame is freed; a new cache frame, when one was taken, costs one back.
        freed -= tookFrame[0] ? 1 : 0;
      } else {
        slot = v.device.write(g, content);
        if (slot < 0) {
          v.full.increment();
          break;
        }
        vm.p2m().set(g, P2mEntry.of(P2mEntry.SWAPPED, slot, ctx.ownerId()));
        v.out.increment();
        if (copyOnGuestDisk) {
          v.silentWrites.increment();
        }
        written++;
      }
      ctx.host().free(frame);
      freed++;
    }
    if (written > 0) {
      v.clusters.increment();
    }
    return freed;
  }

  /** Refused hand-overs in a row after which a round stops looking at shared pages. */
  private static final int REFUSALS = 64;

  /**
   * Victim {@code gppn} is shared: takes its frame whole from its holder, every page mapping
   * it onto one slot written once (or, all zeros, onto zero entries). Returns the pages
   * written (1 or 0), or -1 when the holder kept the frame.
   */
  private int takeShared(VmMemory vm, long gppn) {
    long token = ctx.host().content(P2mEntry.value(vm.p2m().get(gppn)));
    boolean zero = settings.zeroPages() && token == 0;
    int slot = zero ? -1 : shared.open(token);
    boolean taken = vm.requestReleaseShared(gppn, (v, g, frame) -> {
      VmMemory w = ctx.vms().get(v);
      w.p2m().set(g, zero ? P2mEntry.of(P2mEntry.ZERO, 0, ctx.ownerId())
          : P2mEntry.of(P2mEntry.SWAPPED, SharedSlots.TAG | slot, ctx.ownerId()));
      if (!zero) {
        shared.addSwapped(slot);
      }
      ctx.host().dropSharer(frame);
      vms.get(v).swappedShared.increment();
    });
    PerVm v = vms.get(vm.index());
    if (!taken) {
      if (!zero) {
        shared.abandon(slot);
      }
      return -1;
    }
    if (zero) {
      v.zero.increment();
      return 0;
    }
    v.out.increment();
    return 1;
  }

  /** Host swapping takes any page above the reservation, at once: it holds a VM down to its min. */
  @Override
  public LimitReach limitReach(VmMemory vm) {
    return new LimitReach(vm.minPages(), null);
  }

  /** Its device holds every page above the reservation (see {@link SwapSettings#slotsFor}): it never fills. */
  @Override
  public String whyNothingFreed(VmMemory vm) {
    if (vm.backedPages() <= vm.minPages()) {
      return "vm " + vm.name() + " is at its reservation (min, " + vm.minPages() + " pages)";
    }
    return "no page of vm " + vm.name() + " could be taken (each busy with a fault, or pinned)";
  }

  @Override
  public void fault(VmMemory vm, long gppn, long entry, FaultCause cause) {
    if (P2mEntry.state(entry) == P2mEntry.SHARED) {
      leaveSharedFrame(vm, gppn, entry, cause); // a write: reads of a shared page do not fault
    } else if (P2mEntry.state(entry) == P2mEntry.SWAPPED && SharedSlots.isShared(P2mEntry.value(entry))) {
      backFromSharedSlot(vm, gppn, entry, cause, cause.write());
    } else {
      giveBack(vm, gppn, entry, cause);
    }
  }

  /**
   * Page {@code gppn}, swapped on a shared slot, comes back: from the frame another of the
   * slot's pages read it into (mapped shared, unless it writes), else read from the slot into
   * a new frame, which the slot's other pages will find ({@code alone}: a frame of its own).
   * False when no frame can be had.
   */
  private boolean backFromSharedSlot(VmMemory vm, long gppn, long entry, FaultCause cause, boolean alone) {
    PerVm v = vms.get(vm.index());
    int slot = SharedSlots.index(P2mEntry.value(entry));
    long cached = shared.frame(slot);
    if (cached != HostMemory.NO_FRAME && !alone) {
      v.cacheHits.increment();
      ctx.host().addSharer(cached);
      vm.p2m().set(gppn, P2mEntry.of(P2mEntry.SHARED, cached, ctx.ownerId()));
      shared.removeSwapped(slot);
      return true;
    }
    long hppn = ctx.host().allocate(vm.index(), gppn);
    if (hppn == HostMemory.NO_FRAME) {
      return false;
    }
    cached = shared.frame(slot);
    if (cached != HostMemory.NO_FRAME) {
      v.cacheHits.increment();
      if (!cause.overwrites()) {
        ctx.host().setContent(hppn, ctx.host().content(cached));
      }
    } else if (readsBack(v, cause)) {
      ctx.host().setContent(hppn, shared.content(slot));
    }
    if (alone || cached != HostMemory.NO_FRAME || shared.swapped(slot) == 1) {
      vm.p2m().set(gppn, P2mEntry.mapped(hppn)); // its own frame: writing, or the slot's last page
    } else {
      ctx.host().share(hppn);
      vm.p2m().set(gppn, P2mEntry.of(P2mEntry.SHARED, hppn, ctx.ownerId()));
      shared.readInto(slot, hppn);
    }
    shared.removeSwapped(slot);
    return true;
  }

  /**
   * Page {@code gppn} stops mapping a read-back shared frame: a frame of its own (the frame
   * itself when it is the last to map it, else a copy: none for a whole-page overwrite), or,
   * {@code cause} null, nothing (unbacked). False when no frame can be had.
   */
  private boolean leaveSharedFrame(VmMemory vm, long gppn, long entry, FaultCause cause) {
    long frame = P2mEntry.value(entry);
    int slot = shared.slotOf(frame);
    if (cause != null && ctx.host().sharers(frame) == 1) {
      ctx.host().makePrivate(frame, vm.index(), gppn);
      vm.p2m().set(gppn, P2mEntry.mapped(frame));
      shared.frameGone(slot); // pages still swapped on the slot read it again
      return true;
    }
    if (cause == null) {
      vm.p2m().set(gppn, 0);
    } else {
      long copy = ctx.host().allocate(vm.index(), gppn);
      if (copy == HostMemory.NO_FRAME) {
        return false;
      }
      if (!cause.overwrites()) {
        ctx.host().setContent(copy, ctx.host().content(frame));
      }
      vm.p2m().set(gppn, P2mEntry.mapped(copy));
    }
    if (ctx.host().dropSharer(frame) == 0) {
      shared.frameGone(slot);
    }
    return true;
  }

  /**
   * Whether a swapped page coming back for {@code cause} is read from the swap device (the
   * False Reads Preventer reads nothing for a page about to be overwritten whole), counting
   * the read and the pathologies it shows.
   */
  private boolean readsBack(PerVm v, FaultCause cause) {
    if (cause == FaultCause.GUEST_IO) {
      v.doublePaging.increment();
    }
    boolean read = !(cause.overwrites() && settings.mapper());
    if (cause.overwrites()) {
      (!read ? v.readsAvoided : cause == FaultCause.GUEST_SWAP_IN ? v.staleReads : v.falseReads).increment();
    }
    if (read) {
      v.in.increment();
      v.inPriced.increment();
    }
    return read;
  }

  /** Gives the page a frame again, reading it back unless that is not needed; false if no frame can be had. */
  private boolean giveBack(VmMemory vm, long gppn, long entry, FaultCause cause) {
    PerVm v = vms.get(vm.index());
    long hppn = ctx.host().allocate(vm.index(), gppn);
    if (hppn == HostMemory.NO_FRAME) {
      return false;
    }
    if (P2mEntry.state(entry) == P2mEntry.COMPRESSED) {
      int slot = (int) P2mEntry.value(entry);
      if (!(cause.overwrites() && settings.mapper())) {
        ctx.host().setContent(hppn, v.cache.read(slot));
        v.decompressions.increment();
      }
      v.cache.free(slot);
      v.cacheChanged();
    } else if (P2mEntry.state(entry) == P2mEntry.SWAPPED) {
      int slot = (int) P2mEntry.value(entry);
      if (readsBack(v, cause)) {
        ctx.host().setContent(hppn, v.device.read(slot));
        if (gppn == v.lastIn + 1) {
          v.sequential.increment();
          if (slot == v.lastSlot + 1) {
            v.sequentialSlots.increment();
          }
        }
        v.lastIn = gppn;
        v.lastSlot = slot;
      }
      v.device.free(slot);
    }
    vm.p2m().set(gppn, P2mEntry.mapped(hppn));
    return true;
  }

  /** What the hypervisor sees of the guest's swapping: which pages' content is on the guest's disk. */
  @Override
  public void guestPageOperation(VmMemory vm, long gppn, FaultCause cause) {
    PerVm v = vms.get(vm.index());
    if (cause == FaultCause.GUEST_IO) {
      v.onGuestDisk.set((int) gppn);
    } else if (cause.overwrites()) {
      v.onGuestDisk.clear((int) gppn);
    }
  }

  @Override
  public boolean release(VmMemory vm, long gppn, long entry, boolean keepContent) {
    if (P2mEntry.state(entry) == P2mEntry.SHARED) {
      boolean keep = keepContent || vm.backedPages() <= vm.minPages();
      return leaveSharedFrame(vm, gppn, entry, keep ? FaultCause.HYPERVISOR : null);
    }
    boolean sharedSlot = P2mEntry.state(entry) == P2mEntry.SWAPPED && SharedSlots.isShared(P2mEntry.value(entry));
    if (keepContent) {
      return sharedSlot ? backFromSharedSlot(vm, gppn, entry, FaultCause.HYPERVISOR, true)
          : giveBack(vm, gppn, entry, FaultCause.HYPERVISOR);
    }
    if (sharedSlot) {
      vm.p2m().set(gppn, 0);
      shared.removeSwapped(SharedSlots.index(P2mEntry.value(entry)));
      return true;
    }
    PerVm v = vms.get(vm.index());
    if (P2mEntry.state(entry) == P2mEntry.SWAPPED) {
      v.device.free((int) P2mEntry.value(entry));
    } else if (P2mEntry.state(entry) == P2mEntry.COMPRESSED) {
      v.cache.free((int) P2mEntry.value(entry));
      v.cacheChanged();
    }
    vm.p2m().set(gppn, 0);
    return true;
  }

  @Override
  public boolean holds(VmMemory vm, long gppn, long entry) {
    return switch (P2mEntry.state(entry)) {
      case P2mEntry.SWAPPED -> SharedSlots.isShared(P2mEntry.value(entry))
          ? shared.live(SharedSlots.index(P2mEntry.value(entry)))
              && shared.swapped(SharedSlots.index(P2mEntry.value(entry))) > 0
          : vms.get(vm.index()).device.holds((int) P2mEntry.value(entry), gppn);
      case P2mEntry.SHARED -> shared.slotOf(P2mEntry.value(entry)) >= 0;
      case P2mEntry.COMPRESSED -> vms.get(vm.index()).cache != null
          && vms.get(vm.index()).cache.holds((int) P2mEntry.value(entry), gppn);
      case P2mEntry.ZERO -> true;
      default -> false;
    };
  }
}
