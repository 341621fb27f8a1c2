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
    return java.util.List.of(
        new SettingInfo("tax", "0.75", "idle memory tax (ESX Mem.IdleTax); 0 is pure proportional share"),
        new SettingInfo("period", "15s", "targets recomputed this often (ESX Mem.BalancePeriod)"),
        new SettingInfo("free_change", "0.03125", "and early when free memory moved by this much of the host (an estimate)"),
        new SettingInfo("sample.period", "30s", "a sample per VM this often (ESX Mem.SamplePeriod; ESXi 60 s)"),
        new SettingInfo("sample.pages", "100", "pages per sample (the paper)"),
        new SettingInfo("sample.fast_gain", "0.5", "gain of the fast moving average of the touched fraction"),
        new SettingInfo("sample.slow_gain", "0.125", "gain of the slow one (a time constant of 8 periods)"));
  }

  @Override
  public AllocationPolicy create(PolicyContext context) {
    return new SharesPolicy(context, SharesSettings.read(context.settings()));
  }
}
