package org.memvirt.reclaim.swap;

import java.util.ArrayList;
import java.util.List;
import org.memvirt.api.Counter;
import org.memvirt.api.memory.HostMemory;
import org.memvirt.api.memory.HostMemoryState;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.FaultCause;
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
 * guest reads a swapped page to write it to its own swap device), false swap reads (the
 * guest overwrites a swapped page whole, yet the host reads it back first; avoided with
 * {@code prevent_false_reads}), and decayed sequentiality (consecutive guest pages read
 * back from scattered slots).
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
    final Counter prevented;
    final Counter sequential;
    final Counter sequentialSlots;
    long lastIn = -2;
    int lastSlot = -2;

    PerVm(VmMemory vm, long slots, String device) {
      this.device = new SwapDevice(slots);
      this.out = vm.metrics().counter(SwapMetrics.PSWPOUT);
      this.in = vm.metrics().counter(SwapMetrics.PSWPIN);
      this.inPriced = vm.metrics().counter(device.equals("disk") ? SwapMetrics.PSWPIN_DISK : SwapMetrics.PSWPIN_SSD);
      this.clusters = vm.metrics().counter(SwapMetrics.CLUSTERS);
      this.zero = vm.metrics().counter(SwapMetrics.ZERO);
      this.full = vm.metrics().counter(SwapMetrics.DEVICE_FULL);
      this.doublePaging = vm.metrics().counter(SwapMetrics.DOUBLE_PAGING);
      this.falseReads = vm.metrics().counter(SwapMetrics.FALSE_READS);
      this.prevented = vm.metrics().counter(SwapMetrics.FALSE_READS_PREVENTED);
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
      vms.add(new PerVm(vm, settings.slotsFor(vm, ctx.settings()), settings.device()));
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
    while (freed < pages && vm.backedPages() > vm.minPages()) {
      long g = victims.pick(vm);
      if (g < 0) {
        break;
      }
      long frame = P2mEntry.value(vm.p2m().get(g));
      long content = ctx.host().content(frame);
      if (settings.zeroPages() && content == 0) {
        vm.p2m().set(g, P2mEntry.of(P2mEntry.ZERO, 0, ctx.ownerId()));
        v.zero.increment();
      } else {
        int slot = v.device.write(g, content);
        if (slot < 0) {
          v.full.increment();
          break;
        }
        vm.p2m().set(g, P2mEntry.of(P2mEntry.SWAPPED, slot, ctx.ownerId()));
        v.out.increment();
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
    if (P2mEntry.state(entry) == P2mEntry.SWAPPED) {
      int slot = (int) P2mEntry.value(entry);
      if (cause == FaultCause.GUEST_IO) {
        v.doublePaging.increment();
      }
      boolean read = !(cause.overwrites() && settings.preventFalseReads());
      if (cause.overwrites()) {
        (read ? v.falseReads : v.prevented).increment();
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

  @Override
  public boolean release(VmMemory vm, long gppn, long entry, boolean keepContent) {
    if (keepContent) {
      return giveBack(vm, gppn, entry, FaultCause.HYPERVISOR);
    }
    if (P2mEntry.state(entry) == P2mEntry.SWAPPED) {
      vms.get(vm.index()).device.free((int) P2mEntry.value(entry));
    }
    vm.p2m().set(gppn, 0);
    return true;
  }

  @Override
  public boolean holds(VmMemory vm, long gppn, long entry) {
    return switch (P2mEntry.state(entry)) {
      case P2mEntry.SWAPPED -> vms.get(vm.index()).device.holds((int) P2mEntry.value(entry), gppn);
      case P2mEntry.ZERO -> true;
      default -> false;
    };
  }
}
