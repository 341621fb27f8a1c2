package org.memvirt.workloads;

import org.apache.commons.rng.UniformRandomProvider;
import org.memvirt.api.Settings;
import org.memvirt.api.memory.Pages;

/**
 * An idle guest: touches every page of its footprint once (as a booted guest has), then
 * accesses only its {@code active} set (default 0: it then issues nothing and finishes,
 * leaving its memory allocated and unused).
 */
final class IdlePattern implements AccessPattern {
  private final UniformRandomProvider random;
  private final long footprint;
  private final long active;
  private long position;

  IdlePattern(Settings settings, UniformRandomProvider random, long footprintBytes) {
    this.random = random;
    this.footprint = footprintBytes;
    this.active = settings.pageBytes("active", 0);
    if (active < 0 || active > footprintBytes) {
      throw settings.invalid("active", "a size from 0 to the footprint");
    }
  }

  @Override
  public long next() {
    if (position < footprint) {
      long at = position;
      position += Pages.SIZE;
      return at;
    }
    return active < 8 ? DONE : random.nextLong(active >>> 3) << 3;
  }
}
