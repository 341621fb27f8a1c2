package org.memvirt.policy.shares;

import org.memvirt.api.policy.AllocationPolicy;
import org.memvirt.api.policy.PolicyContext;
import org.memvirt.api.reclaim.VmMemory;

/**
 * Targets follow sampled working sets, with no shares (the "elastic" policy): each VM's
 * target is its active estimate plus a {@code buffer} (Hyper-V's dynamic memory keeps
 * 20%), within its min and max. When they do not fit together, what each VM has above its
 * min is scaled down in proportion. Before a VM's first sample completes, its target is its
 * max.
 */
final class WorkingSetPolicy implements AllocationPolicy {
  private final PolicyContext ctx;
  private final long periodNanos;
  private final double buffer;
  private final Samplers samplers;
  private final long samplePeriodNanos;

  WorkingSetPolicy(PolicyContext ctx, long periodNanos, double buffer, SamplingSettings sampling) {
    this.ctx = ctx;
    this.periodNanos = periodNanos;
    this.buffer = buffer;
    this.samplers = new Samplers(ctx, sampling);
    this.samplePeriodNanos = sampling.periodNanos();
  }

  @Override
  public long periodNanos() {
    return periodNanos;
  }

  @Override
  public long samplePeriodNanos() {
    return samplePeriodNanos;
  }

  @Override
  public void sample(long nowNanos) {
    samplers.period();
  }

  @Override
  public void allocate(long nowNanos) {
    int n = ctx.vms().size();
    long[] wanted = new long[n];
    long sumAbove = 0;
    long sumMin = 0;
    for (VmMemory vm : ctx.vms()) {
      int i = vm.index();
      long want = samplers.known(vm) ? (long) Math.ceil(samplers.activePages(vm) * (1 + buffer)) : vm.maxPages();
      wanted[i] = IdleMemoryTax.clamp(want, vm.minPages(), vm.maxPages());
      sumAbove += wanted[i] - vm.minPages();
      sumMin += vm.minPages();
    }
    long room = Math.max(0, Available.pages(ctx.host()) - sumMin);
    double scale = sumAbove <= room ? 1 : (double) room / sumAbove;
    for (VmMemory vm : ctx.vms()) {
      int i = vm.index();
      vm.setTargetPages(vm.minPages() + (long) Math.floor((wanted[i] - vm.minPages()) * scale));
    }
  }
}
