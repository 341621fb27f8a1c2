package org.memvirt.policy.shares;

import java.util.List;
import org.memvirt.api.policy.AllocationPolicy;
import org.memvirt.api.policy.PolicyContext;
import org.memvirt.api.reclaim.VmMemory;

/**
 * ESX's allocation policy: targets from shares with an idle memory tax, working sets from
 * sampling. Targets are recomputed every {@code period} (ESX {@code Mem.BalancePeriod}, 15
 * s), and early when free memory has moved by more than {@code free_change} of host memory
 * since the last time.
 */
final class SharesPolicy implements AllocationPolicy {
  private final PolicyContext ctx;
  private final SharesSettings settings;
  private final IdleMemoryTax tax;
  private final Samplers samplers;
  private long freeAtLastAllocation = -1;

  SharesPolicy(PolicyContext ctx, SharesSettings settings) {
    this.ctx = ctx;
    this.settings = settings;
    this.tax = new IdleMemoryTax(settings.tax());
    this.samplers = new Samplers(ctx, settings.sampling());
  }

  @Override
  public long periodNanos() {
    return settings.periodNanos();
  }

  @Override
  public long samplePeriodNanos() {
    return settings.sampling().periodNanos();
  }

  @Override
  public void sample(long nowNanos) {
    samplers.period();
    long free = ctx.host().freeFrames();
    if (freeAtLastAllocation >= 0
        && Math.abs(free - freeAtLastAllocation) > settings.freeChange() * ctx.host().totalFrames()) {
      allocate(nowNanos);
    }
  }

  @Override
  public void allocate(long nowNanos) {
    List<VmMemory> vms = ctx.vms();
    int n = vms.size();
    double[] shares = new double[n];
    double[] active = new double[n];
    long[] min = new long[n];
    long[] max = new long[n];
    for (VmMemory vm : vms) {
      int i = vm.index();
      shares[i] = vm.shares();
      active[i] = samplers.activePages(vm);
      min[i] = vm.minPages();
      max[i] = vm.maxPages();
    }
    long[] targets = tax.targets(Available.pages(ctx.host()), shares, active, min, max);
    for (VmMemory vm : vms) {
      vm.setTargetPages(targets[vm.index()]);
    }
    freeAtLastAllocation = ctx.host().freeFrames();
  }
}
