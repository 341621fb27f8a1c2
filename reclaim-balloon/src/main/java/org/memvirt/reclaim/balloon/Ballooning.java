package org.memvirt.reclaim.balloon;

import org.memvirt.api.Settings;
import org.memvirt.api.memory.HostMemory;
import org.memvirt.api.memory.HostMemoryState;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.memory.Pages;
import org.memvirt.api.reclaim.FaultCause;
import org.memvirt.api.reclaim.GuestMemoryListener;
import org.memvirt.api.reclaim.ReclaimContext;
import org.memvirt.api.reclaim.Reclaimer;
import org.memvirt.api.reclaim.VmMemory;

/**
 * Ballooning (Waldspurger, OSDI'02): a driver in each guest that has one takes pages the
 * guest's own allocator and replacement choose, and the host frees the frames behind them.
 *
 * <p>The host sets each balloon's target: it raises it when the engine asks this technique
 * for pages ({@link #reclaim}, from the soft state by default: the excess over the VM's
 * target, or its part of the host's shortfall), and, once free memory is back in the high
 * state, lowers it by the host's surplus over the high threshold, spread over the balloons,
 * each no lower than what keeps its VM at its target. Targets never pass the cap
 * ({@code cap}, 65% of the VM's memory). The drivers then move toward their targets at
 * their own pace ({@link VmwareDriver}, {@link VirtioDriver}); {@link #pending} tells the
 * engine what they are still working on, so that it swaps a VM only when its balloon cannot
 * act (no driver, {@code balloon: false}; at its cap; a guest that gives nothing).
 *
 * <p>A ballooned page the guest touches anyway is backed again with a zeroed frame, as
 * ESX and KVM do (neither can stop the guest): it reads as zeros, and is counted.
 */
final class Ballooning implements Reclaimer {
  private final ReclaimContext ctx;
  private final BalloonSettings settings;
  /** Per VM: its balloon, driver and free page reporter; null where no driver is installed. */
  private final Balloon[] balloons;
  private final BalloonDriver[] drivers;
  private final FreePageReporter[] reporters;
  private final long[] nextWake;
  private long nextReport;
  private long nextReview;

  Ballooning(ReclaimContext ctx, BalloonSettings settings) {
    this.ctx = ctx;
    this.settings = settings;
    int n = ctx.vms().size();
    balloons = new Balloon[n];
    drivers = new BalloonDriver[n];
    reporters = new FreePageReporter[n];
    nextWake = new long[n];
    for (VmMemory vm : ctx.vms()) {
      Settings s = vm.settings();
      // Per VM: `balloon: false` where no driver is installed, or it does not cooperate.
      boolean installed = s.flag(BalloonReclaimerFactory.NAME, true);
      long fixed = fixedTarget(vm, s, installed);
      if (!installed) {
        continue;
      }
      int i = vm.index();
      balloons[i] = new Balloon(vm, ctx.host(), ctx.ownerId(), settings.capPages(vm), fixed);
      drivers[i] = BalloonDriver.of(settings, balloons[i]);
      reporters[i] = settings.freePageReporting() ? new FreePageReporter(vm, ctx.host()) : null;
      vm.guest().addListener(listener(i));
    }
    nextReport = settings.reportingDelayNanos();
  }

  /**
   * {@code balloon_to}: the memory the guest is left with, as QEMU's {@code balloon VALUE}
   * (num_pages = (memory - value) / 4 KiB): the balloon's size from the start, whatever
   * the host's state.
   */
  private long fixedTarget(VmMemory vm, Settings s, boolean installed) {
    String key = "balloon_to";
    if (!s.has(key)) {
      return 0;
    }
    long to = s.bytes(key, 0);
    long minBytes = (vm.pages() - settings.capPages(vm)) * Pages.SIZE;
    if (!installed) {
      throw s.invalid(key, "no balloon_to on a VM without a balloon driver (balloon: false)");
    }
    if (to < minBytes || to > vm.pages() * Pages.SIZE || to % Pages.SIZE != 0) {
      throw s.invalid(key, "a whole number of 4 KiB pages from " + minBytes / 1024 + "KiB (the balloon's cap is "
          + Math.round(settings.cap() * 100) + "% of the VM's memory) to the VM's memory");
    }
    return vm.pages() - to / Pages.SIZE;
  }

  private GuestMemoryListener listener(int vm) {
    return new GuestMemoryListener() {
      @Override
      public long onOutOfMemory(long pagesWanted) {
        if (!settings.deflateOnOom()) {
          return 0;
        }
        // virtio_balloon_oom_notify: leak oom_pages, whatever the target; the host's target
        // stays, so the worker refills only when the host sets a new one.
        Balloon b = balloons[vm];
        long n = 0;
        while (n < settings.oomPages() && b.unpin()) {
          n++;
        }
        b.oomDeflated.add(n);
        return n;
      }

      @Override
      public void onPageFreed(long gppn) {
        if (reporters[vm] != null) {
          reporters[vm].freed(gppn);
        }
      }
    };
  }

  @Override
  public HostMemoryState actsFrom() {
    return settings.actsFrom();
  }

  /**
   * The host wants {@code pages} more from the VM: its balloon's target becomes at least its
   * size plus that, within the cap. The driver inflates at its next wake-up, so nothing is
   * freed now; {@link #pending} says what is under way.
   */
  @Override
  public long reclaim(VmMemory vm, long pages) {
    Balloon b = balloons[vm.index()];
    if (b != null && pages > 0 && b.size() + pages > b.target()) {
      b.setTarget(b.size() + pages);
    }
    return 0;
  }

  @Override
  public long pending(VmMemory vm) {
    Balloon b = balloons[vm.index()];
    return b == null || b.stalled ? 0 : Math.max(0, b.target() - b.size());
  }

  /** The guest touched a page it gave to the balloon: back it with a zeroed frame. */
  @Override
  public void fault(VmMemory vm, long gppn, long entry, FaultCause cause) {
    long f = ctx.host().allocate(vm.index(), gppn);
    if (f == HostMemory.NO_FRAME) {
      return;
    }
    vm.p2m().set(gppn, P2mEntry.mapped(f));
    balloons[vm.index()].touched.increment();
  }

  @Override
  public boolean holds(VmMemory vm, long gppn, long entry) {
    Balloon b = balloons[vm.index()];
    return b != null && b.contains(gppn);
  }

  @Override
  public long periodNanos() {
    return settings.tickNanos();
  }

  @Override
  public void tick(long nowNanos) {
    if (nowNanos >= nextReview) {
      // The host reviews the targets once a period.
      if (ctx.host().state() == HostMemoryState.HIGH) {
        lowerTargets();
      }
      nextReview = nowNanos + settings.periodNanos();
    }
    for (int i = 0; i < balloons.length; i++) {
      if (balloons[i] != null && nowNanos >= nextWake[i]) {
        nextWake[i] = drivers[i].wake(nowNanos);
      }
    }
    if (settings.freePageReporting() && nowNanos >= nextReport) {
      for (FreePageReporter r : reporters) {
        if (r != null) {
          r.report();
        }
      }
      nextReport = nowNanos + settings.reportingDelayNanos();
    }
  }

  /**
   * Free memory is back above the high threshold: the host lowers the balloons' targets by
   * its surplus over that threshold, in proportion to their targets, each no further than
   * what keeps its VM at its target (the policy's; its max without one) and never below the
   * experiment's fixed target.
   */
  private void lowerTargets() {
    HostMemory host = ctx.host();
    long surplus = host.freeFrames() - host.thresholdFrames(HostMemoryState.HIGH);
    long total = 0;
    for (Balloon b : balloons) {
      total += b == null ? 0 : b.target() - b.fixedTarget();
    }
    if (surplus <= 0 || total == 0) {
      return;
    }
    for (Balloon b : balloons) {
      if (b == null || b.target() == b.fixedTarget()) {
        continue;
      }
      VmMemory vm = b.vm();
      long room = vm.targetPages() - vm.backedPages();
      long share = (long) Math.ceil((double) surplus * (b.target() - b.fixedTarget()) / total);
      long lower = Math.min(room, share);
      if (lower > 0) {
        b.setTarget(b.target() - lower);
      }
    }
  }

  /** The driver in VM {@code vm}'s guest, or null. */
  BalloonDriver driver(int vm) {
    return drivers[vm];
  }
}
