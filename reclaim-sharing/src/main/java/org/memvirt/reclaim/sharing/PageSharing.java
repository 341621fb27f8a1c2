package org.memvirt.reclaim.sharing;

import java.util.ArrayList;
import java.util.List;
import org.memvirt.api.Counter;
import org.memvirt.api.memory.HostMemoryState;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.FaultCause;
import org.memvirt.api.reclaim.LimitReach;
import org.memvirt.api.reclaim.ReclaimContext;
import org.memvirt.api.reclaim.Reclaimer;
import org.memvirt.api.reclaim.VmMemory;

/**
 * Content-based page sharing in one run: a scanner merges pages of equal content (and
 * salt) into one frame mapped copy-on-write; a write to a shared page faults here and gets
 * a private frame. Sharing runs in the background at its scanner's rate whatever the host's
 * state (ESX and KSM both scan continuously), so {@link #reclaim} frees nothing on demand.
 * Other techniques may take a shared page: {@link #release} gives it back.
 */
final class PageSharing implements Reclaimer {
  private final ReclaimContext ctx;
  private final SharedMappings mappings;
  private final Scanner scanner;
  private final List<SharedMappings.Counters> counters = new ArrayList<>();
  private final List<Counter> released = new ArrayList<>();
  private final List<Counter> handedOver = new ArrayList<>();
  /** Inside one of this technique's own changes (a scan, a fault, a release): no frame is handed over then. */
  private boolean busy;

  PageSharing(ReclaimContext ctx, SharingSettings settings) {
    this.ctx = ctx;
    this.mappings = new SharedMappings(ctx.host(), ctx.ownerId());
    Salts salts = Salts.read(ctx.settings(), ctx.vms());
    boolean[] enabled = new boolean[ctx.vms().size()];
    Counter cowKsm = settings.ksm() ? ctx.hostMetrics().counter(SharingMetrics.COW_KSM.name()) : null;
    for (VmMemory vm : ctx.vms()) {
      // ESX's sched.mem.pshare.enable; KSM's MADV_MERGEABLE per process.
      enabled[vm.index()] = vm.settings().flag("sharing", true);
      counters.add(SharedMappings.Counters.of(vm, cowKsm));
      released.add(vm.metrics().counter(SharingMetrics.RELEASED.name()));
      handedOver.add(vm.metrics().counter(SharingMetrics.HANDED_OVER.name()));
    }
    ScanContext scan = ScanContext.of(ctx, settings, mappings, salts, enabled);
    this.scanner = settings.ksm() ? new KsmScanner(scan) : new EsxScanner(scan);
  }

  Scanner scanner() {
    return scanner;
  }

  @Override
  public HostMemoryState actsFrom() {
    return HostMemoryState.HIGH;
  }

  @Override
  public long reclaim(VmMemory vm, long pages) {
    return 0;
  }

  @Override
  public LimitReach limitReach(VmMemory vm) {
    return new LimitReach(vm.pages(), "what sharing frees depends on the pages' content");
  }

  @Override
  public String whyNothingFreed(VmMemory vm) {
    return "sharing frees only what its scanner merges, on the scanner's time, never at once";
  }

  @Override
  public long periodNanos() {
    return scanner.periodNanos();
  }

  @Override
  public void tick(long nowNanos) {
    busy = true;
    try {
      scanner.tick(nowNanos);
    } finally {
      busy = false;
    }
    scanner.publish();
  }

  /** A write to a shared page (or a whole-page overwrite by the guest kernel): copy-on-write. */
  @Override
  public void fault(VmMemory vm, long gppn, long entry, FaultCause cause) {
    if (!cause.write()) {
      return; // a shared page is readable: nothing to do
    }
    long frame = P2mEntry.value(entry);
    long token = ctx.host().content(frame);
    busy = true;
    long left;
    try {
      left = mappings.unshare(vm, gppn, frame, cause, counters.get(vm.index()));
    } finally {
      busy = false;
    }
    if (left >= 0) {
      scanner.left(vm, gppn, frame, token, left);
      scanner.publish();
    }
  }

  /**
   * Another technique wants the page: a private copy when its content matters, else the
   * page just stops sharing (unbacked: the guest gave it up).
   */
  @Override
  public boolean release(VmMemory vm, long gppn, long entry, boolean keepContent) {
    long frame = P2mEntry.value(entry);
    long token = ctx.host().content(frame);
    long left;
    if (keepContent || vm.backedPages() <= vm.minPages()) {
      busy = true;
      try {
        left = mappings.unshare(vm, gppn, frame, FaultCause.HYPERVISOR, counters.get(vm.index()));
      } finally {
        busy = false;
      }
      if (left < 0) {
        return false;
      }
    } else {
      left = mappings.drop(vm, gppn, frame);
    }
    released.get(vm.index()).increment();
    scanner.left(vm, gppn, frame, token, left);
    scanner.publish();
    return true;
  }

  /**
   * Another technique takes the shared frame behind {@code gppn} whole (to swap it out once):
   * every page mapping it goes to {@code taker}, and the scanner forgets the frame as its
   * pages leave (KSM's items stay on the node until their pages are visited). Refused for the
   * zero frame, while this technique is busy with a change of its own, and when a VM would
   * go below its reservation.
   */
  @Override
  public boolean releaseShared(VmMemory vm, long gppn, long entry, org.memvirt.api.reclaim.SharedFrameTaker taker) {
    long frame = P2mEntry.value(entry);
    if (busy || !mappings.ours(entry) || mappings.isZeroFrame(frame)) {
      return false;
    }
    long[] sharers = mappings.sharersOf(frame, ctx.vms());
    long[] perVm = new long[ctx.vms().size()];
    for (long item : sharers) {
      perVm[SharerIndex.vm(item)]++;
    }
    for (VmMemory w : ctx.vms()) {
      if (perVm[w.index()] > 0 && w.backedPages() - perVm[w.index()] < w.minPages()) {
        return false;
      }
    }
    long token = ctx.host().content(frame);
    long left = sharers.length;
    busy = true;
    try {
      for (long item : sharers) {
        VmMemory w = ctx.vms().get(SharerIndex.vm(item));
        long g = SharerIndex.gppn(item);
        mappings.handOver(w, g, frame);
        taker.take(w.index(), g, frame);
        left--;
        handedOver.get(w.index()).increment();
        scanner.left(w, g, frame, token, left);
      }
    } finally {
      busy = false;
    }
    scanner.publish();
    return true;
  }

  @Override
  public boolean holds(VmMemory vm, long gppn, long entry) {
    long frame = P2mEntry.value(entry);
    return P2mEntry.state(entry) == P2mEntry.SHARED && (mappings.isZeroFrame(frame) || scanner.knows(vm, frame));
  }
}
