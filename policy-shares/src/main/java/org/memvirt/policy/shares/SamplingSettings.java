package org.memvirt.policy.shares;

import org.memvirt.api.Settings;

/**
 * The {@code sample} section: how often and how many pages ESX's sampler picks, and the
 * gains of its averages (see {@link ActiveEstimate}).
 */
record SamplingSettings(long periodNanos, long pages, double fastGain, double slowGain) {
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
