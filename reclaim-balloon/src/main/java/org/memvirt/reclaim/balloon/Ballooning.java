package org.memvirt.reclaim.balloon;

import org.memvirt.api.Settings;
import org.memvirt.api.memory.HostMemory;
import org.memvirt.api.memory.HostMemoryState;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.memory.Pages;
import org.memvirt.api.reclaim.FaultCause;
import org.memvirt.api.reclaim.GuestMemoryListener;
import org.memvirt.api.reclaim.LimitReach;
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
 * state, lowers the balloons of VMs kept below their targets by the host's surplus over the
 * high threshold and what VMs above their targets still owe ({@link #lowerTargets}).
 * Targets never pass the cap
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
  /** Per VM, by index: what is installed in its guest; null where no driver is. */
  private final Guest[] guests;
  private long nextReview;

  /** One guest's balloon, its driver, its free page reporter (or null) and the driver's next wake-up. */
  private static final class Guest {
    final Balloon balloon;
    final BalloonDriver driver;
    final FreePageReporter reporter;
    long nextWake;

    Guest(Balloon balloon, BalloonDriver driver, FreePageReporter reporter) {
      this.balloon = balloon;
      this.driver = driver;
      this.reporter = reporter;
    }
  }

  Ballooning(ReclaimContext ctx, BalloonSettings settings) {
    this.ctx = ctx;
    this.settings = settings;
    guests = new Guest[ctx.vms().size()];
    for (VmMemory vm : ctx.vms()) {
      Settings s = vm.settings();
      // Per VM: `balloon: false` where no driver is installed, or it does not cooperate.
      boolean installed = s.flag(BalloonReclaimerFactory.NAME, true);
      long fixed = fixedTarget(vm, s, installed);
      if (!installed) {
        continue;
      }
      Balloon b = new Balloon(vm, ctx.host(), ctx.ownerId(), settings.capPages(vm), fixed,
          settings.virtio() && !settings.deflateOnOom());
      Guest g = new Guest(b, BalloonDriver.of(settings, b),
          settings.freePageReporting() ? new FreePageReporter(vm, ctx.host()) : null);
      guests[vm.index()] = g;
      vm.guest().addListener(listener(g));
    }
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

  private GuestMemoryListener listener(Guest g) {
    return new GuestMemoryListener() {
      @Override
      public long onOutOfMemory(long pagesWanted) {
        if (!settings.deflateOnOom()) {
          return 0;
        }
        // virtio_balloon_oom_notify: leak oom_pages, whatever the target; the host's target
        // stays, so the worker refills only when the host sets a new one.
        Balloon b = g.balloon;
        long n = 0;
        while (n < settings.oomPages() && b.unpin()) {
          n++;
        }
        b.oomDeflated.add(n);
        return n;
      }

      @Override
      public void onPageFreed(long gppn) {
        if (g.reporter != null) {
          g.reporter.freed(gppn);
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
    Balloon b = balloon(vm);
    if (b != null && pages > 0 && b.size() + pages > b.target()) {
      b.setTarget(b.size() + pages);
    }
    return 0;
  }

  @Override
  public long pending(VmMemory vm) {
    Balloon b = balloon(vm);
    return b == null || b.stalled ? 0 : Math.max(0, b.target() - b.size());
  }

  /**
   * A balloon holds a VM down to its memory less the cap (65%); a VM without a driver not
   * at all. A limit below that needs a technique that frees at once (host swapping).
   */
  @Override
  public LimitReach limitReach(VmMemory vm) {
    if (balloon(vm) == null) {
      return new LimitReach(vm.pages(), "vm " + vm.name() + " has no balloon driver (balloon: false)");
    }
    return new LimitReach(vm.pages() - settings.capPages(vm), "a balloon holds at most "
        + Math.round(settings.cap() * 100) + "% of a VM's memory (cap)");
  }

  @Override
  public String whyNothingFreed(VmMemory vm) {
    Balloon b = balloon(vm);
    if (b == null) {
      return "vm " + vm.name() + " has no balloon driver (balloon: false)";
    }
    String state = b.size() >= settings.capPages(vm) ? "its balloon is at its cap (" + b.size() + " pages)"
        : b.stalled ? "its guest gave the balloon nothing at its last try"
        : b.target() > b.size() ? "its balloon is inflating (" + (b.target() - b.size()) + " pages to go)"
        : "its balloon holds " + b.size() + " pages";
    return "a balloon frees pages on its driver's time, never at once, and vm " + vm.name() + ": " + state;
  }

  /** The guest touched a page it gave to the balloon: back it with a zeroed frame. */
  @Override
  public void fault(VmMemory vm, long gppn, long entry, FaultCause cause) {
    long f = ctx.host().allocate(vm.index(), gppn);
    if (f == HostMemory.NO_FRAME) {
      return;
    }
    vm.p2m().set(gppn, P2mEntry.mapped(f));
    balloon(vm).touched.increment();
  }

  @Override
  public boolean holds(VmMemory vm, long gppn, long entry) {
    Balloon b = balloon(vm);
    return b != null && b.contains(gppn);
  }

  /** {@code vm}'s balloon, or null when it has no driver. */
  private Balloon balloon(VmMemory vm) {
    Guest g = guests[vm.index()];
    return g == null ? null : g.balloon;
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
    for (Guest g : guests) {
      if (g != null && nowNanos >= g.nextWake) {
        g.nextWake = g.driver.wake(nowNanos);
      }
      if (g != null && g.reporter != null) {
        g.reporter.tick(nowNanos, settings.reportingDelayNanos());
      }
    }
  }

  /**
   * Free memory is back above the high threshold: the host lends memory to the VMs whose
   * balloons keep them below their targets (the policy's; their max without one). It can
   * lend its surplus over the high threshold, and what the VMs above their targets still owe
   * (reclamation takes that back from them once the loan brings free memory below the
   * threshold: this is how a policy moves memory from an idle VM to a busy one, ESX's idle
   * memory tax at work). Each balloon comes down in proportion to how far it is above the
   * size that leaves its VM room for its target, never below the experiment's fixed target.
   */
  private void lowerTargets() {
    HostMemory host = ctx.host();
    long lendable = Math.max(0, host.freeFrames() - host.thresholdFrames(HostMemoryState.HIGH));
    for (VmMemory vm : ctx.vms()) {
      lendable += Math.max(0, vm.backedPages() - Math.max(vm.targetPages(), vm.minPages()));
    }
    long[] over = new long[guests.length];
    long total = 0;
    for (Guest g : guests) {
      if (g != null) {
        VmMemory vm = g.balloon.vm();
        long leavesRoom = Math.max(g.balloon.fixedTarget(), vm.pages() - vm.targetPages());
        over[vm.index()] = Math.max(0, g.balloon.target() - leavesRoom);
        total += over[vm.index()];
      }
    }
    if (lendable <= 0 || total == 0) {
      return;
    }
    for (Guest g : guests) {
      if (g != null && over[g.balloon.vm().index()] > 0) {
        long o = over[g.balloon.vm().index()];
        long lower = Math.min(o, (long) Math.ceil((double) lendable * o / total));
        g.balloon.setTarget(g.balloon.target() - lower);
      }
    }
  }

  /** The driver in VM {@code vm}'s guest, or null. */
  BalloonDriver driver(int vm) {
    return guests[vm] == null ? null : guests[vm].driver;
  }
}
