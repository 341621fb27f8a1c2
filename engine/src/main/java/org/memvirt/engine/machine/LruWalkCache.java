package org.memvirt.engine.machine;

import java.util.Arrays;
import org.memvirt.api.Counter;
import org.memvirt.api.mmu.WalkCache;

/**
 * A paging-structure cache: per level, a fully associative cache with true LRU over
 * primitive arrays. Reference defaults: a few dozen entries per level (Intel's PML4E,
 * PDPTE and PDE caches; Bhargava et al. ASPLOS'08 for the nested dimension).
 */
public final class LruWalkCache implements WalkCache {
  private final int entries;
  private final long[][] keys;
  private final long[][] values;
  private final long[][] lastUse;
  private final Counter hits;
  private long clock;

  /**
   * @param levels highest level cached (levels are 0..levels)
   * @param entries entries per level; 0 for off
   * @param hits counter of lookups that hit
   */
  public LruWalkCache(int levels, int entries, Counter hits) {
    this.entries = entries;
    this.keys = new long[levels + 1][entries];
    this.values = new long[levels + 1][entries];
    this.lastUse = new long[levels + 1][entries];
    this.hits = hits;
    flush();
  }

  @Override
  public int entriesPerLevel() {
    return entries;
  }

  @Override
  public long lookup(int level, long key) {
    long[] k = keys[level];
    for (int i = 0; i < entries; i++) {
      if (k[i] == key) {
        lastUse[level][i] = ++clock;
        hits.increment();
        return values[level][i];
      }
    }
    return MISS;
  }

  @Override
  public void fill(int level, long key, long value) {
    if (entries == 0) {
      return;
    }
    long[] k = keys[level];
    long[] used = lastUse[level];
    int victim = 0;
    for (int i = 0; i < entries; i++) {
      if (k[i] == key) {
        victim = i;
        break;
      }
      if (used[i] < used[victim]) {
        victim = i;
      }
    }
    k[victim] = key;
    values[level][victim] = value;
    used[victim] = ++clock;
  }

  @Override
  public void flush() {
    for (int l = 0; l < keys.length; l++) {
      Arrays.fill(keys[l], Long.MIN_VALUE);
      Arrays.fill(lastUse[l], 0);
    }
  }
}
