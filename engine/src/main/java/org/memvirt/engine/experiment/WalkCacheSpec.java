package org.memvirt.engine.experiment;

import org.memvirt.engine.config.ConfigSettings;

/** Paging-structure caches per vCPU: entries per level of each (0: off). */
public record WalkCacheSpec(int entries, int nestedEntries, int nestedTlb) {
  /** The {@code mmu.walk_cache} section. A few dozen entries per level (reference notes; Bhargava et al. ASPLOS'08). */
  static WalkCacheSpec read(ConfigSettings wc) {
    return new WalkCacheSpec(entries(wc, "entries"), entries(wc, "nested_entries"), entries(wc, "nested_tlb"));
  }

  private static int entries(ConfigSettings wc, String key) {
    long n = wc.count(key, 32);
    if (n < 0 || n > 4096) {
      throw wc.invalid(key, "a number of entries per level from 0 (off) to 4096");
    }
    return (int) n;
  }
}
