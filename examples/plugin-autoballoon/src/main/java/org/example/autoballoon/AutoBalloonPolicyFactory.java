package org.example.autoballoon;

import org.memvirt.api.SettingInfo;
import org.memvirt.api.Settings;
import org.memvirt.api.policy.AllocationPolicy;
import org.memvirt.api.policy.AllocationPolicyFactory;
import org.memvirt.api.policy.PolicyContext;

/**
 * {@code policy: {type: proxmox-autoballoon}} with Proxmox VE's constants (pvestatd's
 * auto-ballooning): keep host usage at 80%, ignore a gap under 10 MiB, move a VM at most
 * 100 MiB a round, one round every 10 s.
 */
public final class AutoBalloonPolicyFactory implements AllocationPolicyFactory {
  static final String NAME = "proxmox-autoballoon";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Proxmox VE's auto-ballooning: host usage held at 80%, each VM moved in proportion to its shares";
  }

  /** The keys it reads, for `memvirt validate --reference`, with Proxmox's values. */
  @Override
  public java.util.List<SettingInfo> settings() {
    return java.util.List.of(
        new SettingInfo("goal", "0.8", "host usage to hold (Proxmox: 80%)"),
        new SettingInfo("deadband", "10MiB", "a smaller gap changes nothing (Proxmox)"),
        new SettingInfo("step", "100MiB", "most a VM moves in one round (Proxmox)"),
        new SettingInfo("period", "10s", "one round this often (pvestatd's cycle)"));
  }

  @Override
  public AllocationPolicy create(PolicyContext ctx) {
    Settings s = ctx.settings();
    double goal = s.fraction("goal", 0.8);
    if (goal <= 0) {
      throw s.invalid("goal", "a fraction of host memory above 0 and at most 1 (Proxmox: 0.8)");
    }
    long deadband = s.bytes("deadband", 10L << 20);
    long step = s.bytes("step", 100L << 20);
    if (step < 4096) {
      throw s.invalid("step", "a size of at least 4KiB (Proxmox: 100MiB)");
    }
    long period = s.duration("period", 10_000_000_000L);
    if (period <= 0) {
      throw s.invalid("period", "a positive duration (Proxmox: 10s, pvestatd's cycle)");
    }
    return new AutoBalloonPolicy(ctx, goal, deadband / 4096, step / 4096, period);
  }
}
