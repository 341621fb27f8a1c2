package org.memvirt.workloads;

import org.apache.commons.rng.UniformRandomProvider;
import org.memvirt.api.Settings;

/** Walks the footprint in order, {@code stride} bytes at a time (default 64, a cache line), wrapping. */
final class SequentialPattern implements AccessPattern {
  private final long footprint;
  private final long stride;
  private long position;

  SequentialPattern(Settings settings, UniformRandomProvider random, long footprintBytes) {
    this.footprint = footprintBytes;
    this.stride = settings.bytes("stride", 64);
    if (stride <= 0 || stride % 8 != 0) {
      throw settings.invalid("stride", "a positive multiple of 8 bytes, e.g. 64");
    }
  }

  @Override
  public long next() {
    long at = position;
    position += stride;
    if (position >= footprint) {
      position = 0;
    }
    return at;
  }
}
