package org.memvirt.policy.shares;

import java.util.ArrayList;
import java.util.List;
import org.memvirt.api.SettingInfo;
import org.memvirt.api.Settings;

/**
 * The {@code sample} section: how often and how many pages ESX's sampler picks, and the
 * gains of its averages (see {@link ActiveEstimate}).
 */
record SamplingSettings(long periodNanos, long pages, double fastGain, double slowGain) {
  /** The section's keys, documented, as a policy that samples lists them. */
  static final List<SettingInfo> INFO = List.of(
      new SettingInfo("sample.period", "30s", "a sample per VM this often (ESX Mem.SamplePeriod; ESXi 60 s)"),
      new SettingInfo("sample.pages", "100", "pages per sample (the paper)"),
      new SettingInfo("sample.fast_gain", "0.5", "gain of the fast moving average of the touched fraction"),
      new SettingInfo("sample.slow_gain", "0.125", "gain of the slow one (a time constant of 8 periods)"));

  /** A sampling policy's settings: {@code own}, then the {@code sample} section's. */
  static List<SettingInfo> after(SettingInfo... own) {
    List<SettingInfo> all = new ArrayList<>(List.of(own));
    all.addAll(INFO);
    return List.copyOf(all);
  }

  static SamplingSettings read(Settings s) {
    // Mem.SamplePeriod: 30 s in ESX 2.x (ESXi: 60 s); 100 pages a sample (the paper).
    long period = s.duration("period", 30_000_000_000L);
    if (period <= 0) {
      throw s.invalid("period", "a positive duration, e.g. 30s (ESX Mem.SamplePeriod)");
    }
    long pages = s.count("pages", 100);
    if (pages <= 0 || pages > 1_000_000) {
      throw s.invalid("pages", "a number of pages per sample from 1 to 1000000 (ESX: 100)");
    }
    double fast = s.fraction("fast_gain", 0.5);
    double slow = s.fraction("slow_gain", 0.125);
    if (fast <= 0) {
      throw s.invalid("fast_gain", "a gain above 0 and at most 1");
    }
    if (slow <= 0 || slow > fast) {
      throw s.invalid("slow_gain", "a gain above 0 and at most fast_gain (" + fast + ")");
    }
    return new SamplingSettings(period, pages, fast, slow);
  }
}
