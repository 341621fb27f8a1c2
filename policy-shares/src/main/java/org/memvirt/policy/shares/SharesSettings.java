package org.memvirt.policy.shares;

import org.memvirt.api.Settings;

/** The {@code policy} section of {@code type: shares}. */
record SharesSettings(double tax, long periodNanos, double freeChange, SamplingSettings sampling) {
  static SharesSettings read(Settings s) {
    // Mem.IdleTax: 75% (idle pages cost 4x); 0 is pure proportional share.
    double tax = s.number("tax", 0.75);
    if (tax < 0 || tax >= 1) {
      throw s.invalid("tax", "a tax rate from 0 (pure shares) up to but not including 1 (ESX: 0.75)");
    }
    return new SharesSettings(tax, period(s), freeChange(s), SamplingSettings.read(s.section("sample")));
  }

  /** Mem.BalancePeriod: targets every 15 s. */
  static long period(Settings s) {
    long period = s.duration("period", 15_000_000_000L);
    if (period <= 0) {
      throw s.invalid("period", "a positive duration, e.g. 15s (ESX Mem.BalancePeriod)");
    }
    return period;
  }

  /**
   * A "significant change of free memory" (the paper's words; ESX gives no figure): 1/32
   * of host memory, an estimate.
   */
  static double freeChange(Settings s) {
    return s.fraction("free_change", 0.03125);
  }
}
