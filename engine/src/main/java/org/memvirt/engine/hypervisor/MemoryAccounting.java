package org.memvirt.engine.hypervisor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.memvirt.api.MetricNames;
import org.memvirt.api.memory.HostMemoryState;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.engine.host.HostFrames;
import org.memvirt.engine.vm.P2mTable;
import org.memvirt.engine.vm.VirtualMachine;

/**
 * Where every page is, in the real systems' words, as gauges. Per VM: {@code private},
 * {@code shared}, {@code zero}, {@code vmmemctl}, {@code swapped}, {@code compressed},
 * {@code unbacked} (counts of P2M entries by state, kept as entries change; {@code zero} adds
 * the shared pages whose frame holds zeros, as ESX counts its zero page within shared),
 * {@code granted} (private + shared + zero), {@code consumed} (ESX's rule: private frames,
 * plus for every shared frame the VM's part of it, k of n sharers charging k/n, so that a
 * shared frame is charged once across its sharers, rounded to the nearest page; frames a
 * technique holds are the host's, charged to no VM), {@code private_free} (private pages the
 * guest has free: a scan of the guest's free frames), {@code guest_used}, {@code guest_free},
 * {@code guest_swapped}, {@code active} and {@code SZTGT}. Per host: free frames, the
 * state and its thresholds, {@code granted} and
 * {@code shared} of all VMs, {@code shared_common}
 * (frames backing shared pages: shared frames and held frames some page maps),
 * {@code shared_saved} (shared pages less those frames) and {@code host_held}.
 */
public final class MemoryAccounting {
  private MemoryAccounting() {}

  /**
   * ESX's consumed: private frames plus each shared frame's part. Only a VM with shared
   * pages pays a scan of its map.
   */
  static long consumed(VirtualMachine vm, HostFrames host) {
    return sharedParts(vm, host)[0];
  }

  /**
   * {consumed, zero}: consumed as above, and ESX's zero: pages known to be zero with no frame,
   * plus shared pages whose frame holds zeros (the zero page). One scan of the map serves both.
   */
  private static long[] sharedParts(VirtualMachine vm, HostFrames host) {
    P2mTable p2m = vm.p2m();
    long privateFrames = p2m.statePages(P2mEntry.MAPPED);
    long zero = p2m.statePages(P2mEntry.ZERO);
    if (p2m.statePages(P2mEntry.SHARED) == 0) {
      return new long[] {privateFrames, zero};
    }
    double part = 0;
    for (long gppn = 0; gppn < p2m.pages(); gppn++) {
      long e = p2m.get(gppn);
      if (P2mEntry.state(e) == P2mEntry.SHARED) {
        long frame = P2mEntry.value(e);
        if (!host.held(frame)) {
          part += 1.0 / host.sharers(frame);
        }
        if (host.content(frame) == 0) {
          zero++;
        }
      }
    }
    // To the nearest page: the VMs' parts add up to the shared frames give or take rounding.
    return new long[] {privateFrames + Math.round(part), zero};
  }

  /** A VM's gauges now, in report order. */
  public static Map<String, Long> vmGauges(VirtualMachine vm, HostFrames host) {
    P2mTable p2m = vm.p2m();
    Map<String, Long> g = new LinkedHashMap<>();
    long[] parts = sharedParts(vm, host);
    g.put(MetricNames.CONSUMED, parts[0]);
    g.put(MetricNames.GRANTED,
        p2m.statePages(P2mEntry.MAPPED) + p2m.statePages(P2mEntry.SHARED) + p2m.statePages(P2mEntry.ZERO));
    g.put(MetricNames.PRIVATE, p2m.statePages(P2mEntry.MAPPED));
    // What free page reporting or a balloon could take at no cost to the guest.
    g.put(MetricNames.PRIVATE_FREE, p2m.statePages(P2mEntry.MAPPED) == 0 ? 0
        : vm.kernel().memory().countFree(gppn -> P2mEntry.state(p2m.get(gppn)) == P2mEntry.MAPPED,
            (from, to) -> p2m.statePages(from, to, P2mEntry.MAPPED)));
    g.put(MetricNames.SHARED, p2m.statePages(P2mEntry.SHARED));
    g.put(MetricNames.ZERO, parts[1]);
    g.put(MetricNames.BALLOONED, p2m.statePages(P2mEntry.BALLOONED));
    g.put(MetricNames.SWAPPED, p2m.statePages(P2mEntry.SWAPPED));
    g.put(MetricNames.COMPRESSED, p2m.statePages(P2mEntry.COMPRESSED));
    g.put(MetricNames.UNBACKED, p2m.statePages(P2mEntry.UNBACKED));
    g.put(MetricNames.GUEST_USED, vm.kernel().memory().usedPages());
    g.put(MetricNames.GUEST_FREE, vm.kernel().memory().freePages());
    g.put(MetricNames.GUEST_SWAPPED, vm.kernel().memory().swappedPages());
    if (vm.activePages() >= 0) {
      g.put(MetricNames.ACTIVE, vm.activePages());
    }
    g.put(MetricNames.TARGET, vm.targetPages());
    return g;
  }

  /** The host's gauges now. */
  public static Map<String, Long> hostGauges(HostFrames host, List<VirtualMachine> vms) {
    Map<String, Long> g = new LinkedHashMap<>();
    long privateFrames = 0;
    for (VirtualMachine vm : vms) {
      privateFrames += vm.p2m().statePages(P2mEntry.MAPPED);
    }
    g.put("host_frames", host.totalFrames());
    // Exact at the host: every private frame and every shared frame once.
    g.put(MetricNames.CONSUMED, privateFrames + host.sharedFrames());
    g.put(MetricNames.HOST_FREE, host.freeFrames());
    g.put(MetricNames.HOST_STATE, (long) host.state().ordinal());
    g.put(MetricNames.HOST_FREE_HIGH, host.thresholdFrames(HostMemoryState.HIGH));
    g.put(MetricNames.HOST_FREE_SOFT, host.thresholdFrames(HostMemoryState.SOFT));
    g.put(MetricNames.HOST_FREE_HARD, host.thresholdFrames(HostMemoryState.HARD));
    g.put(MetricNames.HOST_FREE_LOW, host.thresholdFrames(HostMemoryState.LOW));
    long sharedPages = 0;
    long granted = 0;
    for (VirtualMachine vm : vms) {
      P2mTable p2m = vm.p2m();
      sharedPages += p2m.statePages(P2mEntry.SHARED);
      granted += p2m.statePages(P2mEntry.MAPPED) + p2m.statePages(P2mEntry.SHARED) + p2m.statePages(P2mEntry.ZERO);
    }
    g.put(MetricNames.GRANTED, granted);
    g.put(MetricNames.SHARED, sharedPages);
    long common = host.sharedFrames() + host.heldFramesMapped();
    g.put(MetricNames.SHARED_COMMON, common);
    g.put(MetricNames.SHARED_SAVED, sharedPages - common);
    g.put(MetricNames.HOST_HELD, host.heldFrames());
    return g;
  }
}
