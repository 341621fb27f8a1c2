package org.memvirt.policy.shares;

import org.memvirt.api.SettingInfo;
import java.util.List;
import org.memvirt.api.MetricInfo;
import org.memvirt.api.policy.AllocationPolicy;
import org.memvirt.api.policy.AllocationPolicyFactory;
import org.memvirt.api.policy.PolicyContext;

/** {@code policy: {type: shares}}: ESX's proportional shares with an idle memory tax and sampled working sets. */
public final class SharesPolicyFactory implements AllocationPolicyFactory {
  static final String NAME = "shares";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "proportional shares with an idle memory tax, working sets by sampling (ESX)";
  }

  @Override
  public List<MetricInfo> metrics() {
    return PolicyMetrics.SAMPLING;
  }

  @Override
  public java.util.List<SettingInfo> settings() {
    return SamplingSettings.after(
        new SettingInfo("tax", "0.75", "idle memory tax (ESX Mem.IdleTax); 0 is pure proportional share"),
        new SettingInfo("period", "15s", "targets recomputed this often (ESX Mem.BalancePeriod)"),
        new SettingInfo("free_change", "0.03125", "and early when free memory moved by this much of the host (an estimate)"));
  }

  @Override
  public AllocationPolicy create(PolicyContext context) {
    return new SharesPolicy(context, SharesSettings.read(context.settings()));
  }
}
