package com.example.memvirt;

import org.memvirt.api.SettingInfo;
import org.memvirt.api.Settings;
import org.memvirt.api.memory.HostMemoryState;
import org.memvirt.api.policy.AllocationPolicy;
import org.memvirt.api.policy.AllocationPolicyFactory;
import org.memvirt.api.policy.PolicyContext;
import org.memvirt.api.reclaim.VmMemory;

/**
 * {@code policy: {type: equal-split, period: 10s}}: every VM's target is an equal part of
 * host memory (less the high threshold's free frames), within its min and max.
 */
public final class EqualSplitPolicyFactory implements AllocationPolicyFactory {
  static final String NAME = "equal-split";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "every VM an equal part of host memory";
  }

  /** The keys it reads, for `memvirt validate --reference`. */
  @Override
  public java.util.List<SettingInfo> settings() {
    return java.util.List.of(new SettingInfo("period", "10s", "targets recomputed this often"));
  }

  @Override
  public AllocationPolicy create(PolicyContext ctx) {
    Settings s = ctx.settings();
    long period = s.duration("period", 10_000_000_000L);
    if (period <= 0) {
      throw s.invalid("period", "a positive duration, e.g. 10s");
    }
    return new AllocationPolicy() {
      @Override
      public long periodNanos() {
        return period;
      }

      @Override
      public void allocate(long nowNanos) {
        long available = ctx.host().totalFrames() - ctx.host().thresholdFrames(HostMemoryState.HIGH);
        long each = Math.max(0, available) / ctx.vms().size();
        for (VmMemory vm : ctx.vms()) {
          vm.setTargetPages(Math.max(vm.minPages(), Math.min(vm.maxPages(), each)));
        }
      }
    };
  }
}
