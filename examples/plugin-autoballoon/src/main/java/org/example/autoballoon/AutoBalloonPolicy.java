package org.example.autoballoon;

import java.util.List;
import org.memvirt.api.policy.AllocationPolicy;
import org.memvirt.api.policy.PolicyContext;
import org.memvirt.api.reclaim.VmMemory;

/**
 * Proxmox VE's auto-ballooning, as its pvestatd does it every cycle: the goal is
 * {@code goal} of host memory less what is in use; a goal under {@code deadband} changes
 * nothing; otherwise it is split among the VMs in proportion to their shares (0 shares:
 * left out), each VM moving at most {@code step} a round, and each VM's target stays within
 * its min (Proxmox's balloon minimum) and max (its memory). Targets start from what each VM
 * has at the first round; memvirt's contract (targets within host memory together) is kept
 * by scaling them down if they ever add up to more.
 */
final class AutoBalloonPolicy implements AllocationPolicy {
  private final PolicyContext ctx;
  private final double goal;
  private final long deadbandPages;
  private final long stepPages;
  private final long periodNanos;
  private final long[] targets;

  AutoBalloonPolicy(PolicyContext ctx, double goal, long deadbandPages, long stepPages, long periodNanos) {
    this.ctx = ctx;
    this.goal = goal;
    this.deadbandPages = deadbandPages;
    this.stepPages = stepPages;
    this.periodNanos = periodNanos;
    this.targets = new long[ctx.vms().size()];
    java.util.Arrays.fill(targets, -1);
  }

  @Override
  public long periodNanos() {
    return periodNanos;
  }

  @Override
  public void allocate(long nowNanos) {
    long total = ctx.host().totalFrames();
    long used = total - ctx.host().freeFrames();
    long gap = (long) (goal * total) - used;
    List<VmMemory> vms = ctx.vms();
    long shares = 0;
    for (VmMemory vm : vms) {
      shares += vm.shares();
      if (targets[vm.index()] < 0) {
        targets[vm.index()] = Math.max(vm.minPages(), Math.min(vm.maxPages(), vm.backedPages()));
      }
    }
    if (Math.abs(gap) >= deadbandPages && shares > 0) {
      for (VmMemory vm : vms) {
        if (vm.shares() == 0) {
          continue;
        }
        // Growing starts from what the VM has; shrinking from its current target.
        long from = gap > 0 ? Math.min(targets[vm.index()], vm.backedPages()) : targets[vm.index()];
        long move = Math.round((double) gap * vm.shares() / shares);
        move = Math.max(-stepPages, Math.min(stepPages, move));
        targets[vm.index()] = Math.max(vm.minPages(), Math.min(vm.maxPages(), from + move));
      }
    }
    long sum = 0;
    for (VmMemory vm : vms) {
      sum += targets[vm.index()];
    }
    double scale = sum > total ? (double) total / sum : 1;
    for (VmMemory vm : vms) {
      long t = (long) Math.floor(targets[vm.index()] * scale);
      vm.setTargetPages(Math.max(vm.minPages(), Math.min(vm.maxPages(), t)));
    }
  }
}
