package org.memvirt.policy.shares;

import java.util.ArrayList;
import java.util.List;
import org.memvirt.api.policy.PolicyContext;
import org.memvirt.api.reclaim.VmMemory;

/** One {@link ActivitySampler} per VM, each with a seed of its own from the policy's. */
final class Samplers {
  private final List<ActivitySampler> samplers = new ArrayList<>();

  Samplers(PolicyContext ctx, SamplingSettings settings) {
    for (VmMemory vm : ctx.vms()) {
      samplers.add(new ActivitySampler(vm, settings, ctx.seed() * 31 + vm.index()));
    }
  }

  /** Every VM's sample period ends. */
  void period() {
    samplers.forEach(ActivitySampler::period);
  }

  /**
   * {@code vm}'s active pages now; before its first sample completes, all its backed pages
   * (nothing is known, so nothing is taxed).
   */
  double activePages(VmMemory vm) {
    ActivitySampler s = samplers.get(vm.index());
    if (!s.known()) {
      return vm.backedPages();
    }
    s.publish();
    return s.activeFraction() * vm.pages();
  }

  boolean known(VmMemory vm) {
    return samplers.get(vm.index()).known();
  }
}
