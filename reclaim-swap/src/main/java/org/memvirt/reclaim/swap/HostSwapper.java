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
 */
final class HostSwapper implements Reclaimer {
  private final ReclaimContext ctx;
  private final SwapSettings settings;
  private final VictimPolicy victims;
  private final List<PerVm> vms = new ArrayList<>();

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
      this.compressions = ctx.hostMetrics().counter(SwapMetrics.COMPRESSIONS);
      this.decompressions = vm.metrics().counter(SwapMetrics.DECOMPRESSIONS);
      this.zipFrames = vm.metrics().counter(SwapMetrics.ZIP_FRAMES);
      this.zipSaved = vm.metrics().counter(SwapMetrics.ZIP_SAVED);
      this.out = vm.metrics().counter(SwapMetrics.PSWPOUT);
      this.in = vm.metrics().counter(SwapMetrics.PSWPIN);
      this.inPriced = vm.metrics().counter(device.equals("disk") ? SwapMetrics.PSWPIN_DISK : SwapMetrics.PSWPIN_SSD);
      this.clusters = vm.metrics().counter(SwapMetrics.CLUSTERS);
      this.zero = vm.metrics().counter(SwapMetrics.ZERO);
      this.full = vm.metrics().counter(SwapMetrics.DEVICE_FULL);
      this.doublePaging = vm.metrics().counter(SwapMetrics.DOUBLE_PAGING);
      this.falseReads = vm.metrics().counter(SwapMetrics.FALSE_READS);
      this.staleReads = vm.metrics().counter(SwapMetrics.STALE_READS);
      this.readsAvoided = vm.metrics().counter(SwapMetrics.READS_AVOIDED);
      this.silentWrites = vm.metrics().counter(SwapMetrics.SILENT_WRITES);
      this.writesAvoided = vm.metrics().counter(SwapMetrics.WRITES_AVOIDED);
      this.onGuestDisk = new BitSet(Math.toIntExact(vm.pages()));
      this.sequential = vm.metrics().counter(SwapMetrics.SEQUENTIAL);
      this.sequentialSlots = vm.metrics().counter(SwapMetrics.SEQUENTIAL_SLOTS);
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
    while (freed < pages && vm.backedPages() > vm.minPages()) {
      long g = victims.pick(vm);
      if (g < 0) {
        break;
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
    giveBack(vm, gppn, entry, cause);
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
      if (cause == FaultCause.GUEST_IO) {
        v.doublePaging.increment();
      }
      // The False Reads Preventer: a page about to be overwritten whole needs no reading.
      boolean read = !(cause.overwrites() && settings.mapper());
      if (cause.overwrites()) {
        (!read ? v.readsAvoided : cause == FaultCause.GUEST_SWAP_IN ? v.staleReads : v.falseReads).increment();
      }
      if (read) {
        ctx.host().setContent(hppn, v.device.read(slot));
        v.in.increment();
        v.inPriced.increment();
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
    if (keepContent) {
      return giveBack(vm, gppn, entry, FaultCause.HYPERVISOR);
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
      case P2mEntry.SWAPPED -> vms.get(vm.index()).device.holds((int) P2mEntry.value(entry), gppn);
      case P2mEntry.COMPRESSED -> vms.get(vm.index()).cache != null
          && vms.get(vm.index()).cache.holds((int) P2mEntry.value(entry), gppn);
      case P2mEntry.ZERO -> true;
      default -> false;
    };
  }
}
