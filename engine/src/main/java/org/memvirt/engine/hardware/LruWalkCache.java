package org.memvirt.engine.hardware;

import java.util.Arrays;
import org.memvirt.api.Counter;
import org.memvirt.api.mmu.WalkCache;

/**
 * A paging-structure cache: per level, a fully associative cache with true LRU. Reference
 * defaults: a few dozen entries per level (Intel's PML4E, PDPTE and PDE caches; Bhargava
 * et al. ASPLOS'08 for the nested dimension).
 *
 * <p>A walk looks up several levels of several caches, so lookups must not scan: each level
 * finds a key's slot through an open-addressing hash index (linear probing, backward-shift
 * deletion) and keeps LRU order in a doubly linked list of slots. Primitive arrays only.
 */
public final class LruWalkCache implements WalkCache {
  private static final long EMPTY = Long.MIN_VALUE;

  private final int entries;
  private final Level[] levels;
  private final Counter hits;

  /** One level: slots with keys and values, an LRU list of slots, a hash index of keys. */
  private static final class Level {
    final long[] keys;
    final long[] values;
    final int[] prev;
    final int[] next;
    /** Hash index: the slot + 1 holding a key, 0 when empty. */
    final int[] index;
    final int mask;
    final int shift;
    int used;
    /** Most and least recently used slots, -1 when the level is empty. */
    int head = -1;
    int tail = -1;

    Level(int entries) {
      keys = new long[entries];
      values = new long[entries];
      prev = new int[entries];
      next = new int[entries];
      int size = Integer.highestOneBit(Math.max(2, entries * 4) - 1) << 1;
      index = new int[size];
      mask = size - 1;
      shift = 64 - Integer.numberOfTrailingZeros(size);
    }

    void clear() {
      Arrays.fill(index, 0);
      used = 0;
      head = -1;
      tail = -1;
    }

    /** Fibonacci hashing: the top bits of the product, which every key bit stirs. */
    int home(long key) {
      return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    int find(long key) {
      for (int i = home(key); index[i] != 0; i = (i + 1) & mask) {
        if (keys[index[i] - 1] == key) {
          return index[i] - 1;
        }
      }
      return -1;
    }

    void insertIndex(long key, int slot) {
      int i = home(key);
      while (index[i] != 0) {
        i = (i + 1) & mask;
      }
      index[i] = slot + 1;
    }

    void removeIndex(long key) {
      int i = home(key);
      while (keys[index[i] - 1] != key) {
        i = (i + 1) & mask;
      }
      // Backward-shift deletion: move later entries of the probe run into the hole.
      int hole = i;
      for (int j = (hole + 1) & mask; index[j] != 0; j = (j + 1) & mask) {
        int want = home(keys[index[j] - 1]);
        if (((j - want) & mask) >= ((j - hole) & mask)) {
          index[hole] = index[j];
          hole = j;
        }
      }
      index[hole] = 0;
    }

    void unlink(int s) {
      if (prev[s] >= 0) {
        next[prev[s]] = next[s];
      } else {
        head = next[s];
      }
      if (next[s] >= 0) {
        prev[next[s]] = prev[s];
      } else {
        tail = prev[s];
      }
    }

    void pushFront(int s) {
      prev[s] = -1;
      next[s] = head;
      if (head >= 0) {
        prev[head] = s;
      }
      head = s;
      if (tail < 0) {
        tail = s;
      }
    }
  }

  /**
   * @param maxLevel highest level cached (levels are 0..maxLevel)
   * @param entries entries per level; 0 for off
   * @param hits counter of lookups that hit
   */
  public LruWalkCache(int maxLevel, int entries, Counter hits) {
    this.entries = entries;
    this.levels = new Level[maxLevel + 1];
    for (int l = 0; l <= maxLevel; l++) {
      levels[l] = new Level(entries);
    }
    this.hits = hits;
  }

  @Override
  public int entriesPerLevel() {
    return entries;
  }

  @Override
  public long lookup(int level, long key) {
    if (entries == 0) {
      return MISS;
    }
    Level l = levels[level];
    int s = l.find(key);
    if (s < 0) {
      return MISS;
    }
    if (l.head != s) {
      l.unlink(s);
      l.pushFront(s);
    }
    hits.increment();
    return l.values[s];
  }

  @Override
  public void fill(int level, long key, long value) {
    if (entries == 0) {
      return;
    }
    Level l = levels[level];
    int s = l.find(key);
    if (s >= 0) {
      l.values[s] = value;
      if (l.head != s) {
        l.unlink(s);
        l.pushFront(s);
      }
      return;
    }
    if (l.used < entries) {
      s = l.used++;
    } else {
      s = l.tail;
      l.unlink(s);
      l.removeIndex(l.keys[s]);
    }
    l.keys[s] = key;
    l.values[s] = value;
    l.insertIndex(key, s);
    l.pushFront(s);
  }

  @Override
  public void flush() {
    for (Level l : levels) {
      l.clear();
    }
  }
}
