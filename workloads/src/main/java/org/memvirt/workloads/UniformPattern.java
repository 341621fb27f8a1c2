package org.memvirt.workloads;

import org.apache.commons.rng.UniformRandomProvider;
import org.memvirt.api.Settings;

/** Uniformly random 8-byte words over the footprint. */
final class UniformPattern implements AccessPattern {
  private final UniformRandomProvider random;
  private final long words;

  UniformPattern(Settings settings, UniformRandomProvider random, long footprintBytes) {
    this.random = random;
    this.words = footprintBytes >>> 3;
  }

  @Override
  public long next() {
    return random.nextLong(words) << 3;
  }
}
