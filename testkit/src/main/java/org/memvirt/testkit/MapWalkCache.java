package org.memvirt.testkit;

import java.util.HashMap;
import java.util.Map;
import org.memvirt.api.mmu.WalkCache;

/** A walk cache with no replacement (unbounded), or off (0 entries). */
public final class MapWalkCache implements WalkCache {
  private final int entries;
  private final Map<String, Long> map = new HashMap<>();
  private int hits;

  /** Unbounded when {@code entries} is positive, off when 0. */
  public MapWalkCache(int entries) {
    this.entries = entries;
  }

  @Override
  public int entriesPerLevel() {
    return entries;
  }

  @Override
  public long lookup(int level, long key) {
    Long v = map.get(level + ":" + key);
    if (v == null) {
      return MISS;
    }
    hits++;
    return v;
  }

  @Override
  public void fill(int level, long key, long value) {
    if (entries > 0) {
      map.put(level + ":" + key, value);
    }
  }

  @Override
  public void flush() {
    map.clear();
  }

  /** Lookups that hit. */
  public int hits() {
    return hits;
  }
}
