package org.memvirt.engine.experiment;

import org.memvirt.engine.config.ConfigSettings;

/** Geometry of one TLB. */
public record TlbSpec(int entries, int ways) {
  /** Ways of a TLB: a lookup compares them all. */
  public static final int MAX_WAYS = 64;

  /** The TLB of section {@code key} of {@code tlb}, with these defaults. */
  static TlbSpec read(ConfigSettings tlb, String key, int entries, int ways) {
    ConfigSettings s = tlb.section(key);
    long e = s.count("entries", entries);
    long w = s.count("ways", ways);
    if (e <= 0 || e > 1 << 20) {
      throw s.invalid("entries", "a number of entries from 1 to 1M");
    }
    if (w <= 0 || e % w != 0 || w > MAX_WAYS) {
      throw s.invalid("ways", "a number of ways from 1 to " + MAX_WAYS + " that divides entries (" + e + ")");
    }
    return new TlbSpec((int) e, (int) w);
  }
}
