package org.memvirt.policy.shares;

import org.memvirt.api.policy.AllocationPolicy;
import org.memvirt.api.policy.PolicyContext;
import org.memvirt.api.reclaim.VmMemory;

/**
 * Fixed partitioning: every VM's target is its configured memory (within its max), and a
 * host whose VMs do not fit is refused at the start, as IBM's hypervisor of 2008 and
 * OS-level partitioning (Solaris Zones) do. Nothing is ever reclaimed.
 */
final class StaticPolicy implements AllocationPolicy {
  private final PolicyContext ctx;

  StaticPolicy(PolicyContext ctx) {
    this.ctx = ctx;
    long sum = 0;
    for (VmMemory vm : ctx.vms()) {
      sum += vm.pages();
    }
    long host = ctx.host().totalFrames();
    if (sum > host) {
      throw ctx.settings().invalid("type", "VMs that fit in host memory under static partitioning: their memory ("
          + mib(sum) + ") is more than the host's (" + mib(host) + "); lower vms[].memory, add host.memory, or "
          + "choose a policy that overcommits (shares, working-set)");
    }
  }

  private static String mib(long pages) {
    return (pages >> 8) + "MiB";
  }

  @Override
  public long periodNanos() {
    return 15_000_000_000L;
  }

  @Override
  public void allocate(long nowNanos) {
    for (VmMemory vm : ctx.vms()) {
      vm.setTargetPages(Math.min(vm.pages(), vm.maxPages()));
    }
  }
}
