package org.memvirt.policy.shares;

import org.memvirt.api.SettingInfo;
import java.util.List;
import org.memvirt.api.MetricInfo;
import org.memvirt.api.Settings;
import org.memvirt.api.policy.AllocationPolicy;
import org.memvirt.api.policy.AllocationPolicyFactory;
import org.memvirt.api.policy.PolicyContext;

/** {@code policy: {type: working-set}}: targets follow sampled working sets plus a buffer. */
public final class WorkingSetPolicyFactory implements AllocationPolicyFactory {
  static final String NAME = "working-set";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "targets follow sampled working sets plus a buffer, no shares";
  }

  @Override
  public List<MetricInfo> metrics() {
    return PolicyMetrics.SAMPLING;
  }

  @Override
  public java.util.List<SettingInfo> settings() {
    return SamplingSettings.after(
        new SettingInfo("buffer", "0.2", "kept on top of the working set (Hyper-V's 20%)"),
        new SettingInfo("period", "15s", "targets recomputed this often"));
  }

  @Override
  public AllocationPolicy create(PolicyContext context) {
    Settings s = context.settings();
    // Hyper-V's dynamic memory keeps a 20% buffer above what the guest commits.
    double buffer = s.number("buffer", 0.2);
    if (buffer < 0 || buffer > 10) {
      throw s.invalid("buffer", "a fraction of the working set kept on top of it, from 0 to 10 (Hyper-V: 0.2)");
    }
    return new WorkingSetPolicy(context, SharesSettings.period(s), buffer, SamplingSettings.read(s.section("sample")));
  }
}
