package org.memvirt.workloads;

import org.apache.commons.rng.UniformRandomProvider;
import org.memvirt.api.Settings;

/**
 * Uniform within a working set ({@code working_set}, default a quarter of the footprint)
 * that moves to the next part of the footprint every {@code phase} accesses (default 1M),
 * wrapping around: the phase behaviour working-set estimators must follow. With
 * {@code alternate}, every other phase the working set is that size instead: a "toucher"
 * stepping between a small and a large set (Waldspurger OSDI'02, Fig. 6).
 */
final class PhasesPattern implements AccessPattern {
  private final UniformRandomProvider random;
  private final long footprint;
  private final long workingSet;
  private final long alternate;
  private final long phase;
  private long current;
  private long count;
  private long base;

  PhasesPattern(Settings settings, UniformRandomProvider random, long footprintBytes) {
    this.random = random;
    this.footprint = footprintBytes;
    this.workingSet = settings.pageBytes("working_set", Math.max(8, footprintBytes / 4 / 8 * 8));
    if (workingSet < 8 || workingSet > footprintBytes) {
      throw settings.invalid("working_set", "a size from one 4 KiB page to the footprint");
    }
    this.alternate = settings.pageBytes("alternate", workingSet);
    if (alternate < 8 || alternate > footprintBytes) {
      throw settings.invalid("alternate", "a size from one 4 KiB page to the footprint");
    }
    this.current = workingSet;
    this.phase = settings.count("phase", 1_000_000);
    if (phase <= 0) {
      throw settings.invalid("phase", "a positive number of accesses");
    }
  }

  @Override
  public long next() {
    if (count++ == phase) {
      count = 1;
      base = (base + current) % footprint;
      current = current == workingSet ? alternate : workingSet;
    }
    long at = base + (random.nextLong(current >>> 3) << 3);
    return at % footprint;
  }
}
