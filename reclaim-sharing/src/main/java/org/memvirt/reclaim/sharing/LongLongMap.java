package org.memvirt.reclaim.sharing;

import java.util.Arrays;

/**
 * A map from {@code long} to {@code long} over two primitive arrays: open addressing with
 * linear probing and backward-shift deletion, so a lookup touches one cache line or two and
 * an entry costs 16 bytes (21 to 43 with the load factor kept between 3/8 and 3/4).
 * Every key is allowed; {@link #MISSING} is returned for an absent one.
 */
final class LongLongMap {
  static final long MISSING = Long.MIN_VALUE;
  private static final long EMPTY = 0;

  private long[] keys;
  private long[] values;
  private int mask;
  private int size;
  /** Key 0 marks an empty slot, so its value lives here. */
  private boolean hasZero;
  private long zeroValue;

  LongLongMap() {
    this(16);
  }

  LongLongMap(int expected) {
    int cap = Integer.highestOneBit(Math.max(8, expected * 2 - 1)) << 1;
    keys = new long[cap];
    values = new long[cap];
    mask = cap - 1;
  }

  int size() {
    return size + (hasZero ? 1 : 0);
  }

  long get(long key) {
    if (key == EMPTY) {
      return hasZero ? zeroValue : MISSING;
    }
    for (int i = slot(key); ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) {
        return values[i];
      }
      if (k == EMPTY) {
        return MISSING;
      }
    }
  }

  boolean contains(long key) {
    if (key == EMPTY) {
      return hasZero;
    }
    for (int i = slot(key); ; i = (i + 1) & mask) {
      if (keys[i] == key) {
        return true;
      }
      if (keys[i] == EMPTY) {
        return false;
      }
    }
  }

  void put(long key, long value) {
    if (key == EMPTY) {
      hasZero = true;
      zeroValue = value;
      return;
    }
    int i = slot(key);
    for (; keys[i] != EMPTY; i = (i + 1) & mask) {
      if (keys[i] == key) {
        values[i] = value;
        return;
      }
    }
    keys[i] = key;
    values[i] = value;
    if (++size * 4 > keys.length * 3) {
      grow();
    }
  }

  /** Removes {@code key}; returns its value or {@link #MISSING}. */
  long remove(long key) {
    if (key == EMPTY) {
      long v = hasZero ? zeroValue : MISSING;
      hasZero = false;
      return v;
    }
    int i = slot(key);
    for (; keys[i] != key; i = (i + 1) & mask) {
      if (keys[i] == EMPTY) {
        return MISSING;
      }
    }
    long v = values[i];
    size--;
    // Backward shift: pull later entries of the probe run into the hole.
    int hole = i;
    for (int j = (i + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
      int home = slot(keys[j]);
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        keys[hole] = keys[j];
        values[hole] = values[j];
        hole = j;
      }
    }
    keys[hole] = EMPTY;
    return v;
  }

  void clear() {
    Arrays.fill(keys, EMPTY);
    size = 0;
    hasZero = false;
  }

  private int slot(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new long[oldKeys.length * 2];
    mask = keys.length - 1;
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        put(oldKeys[i], oldValues[i]);
      }
    }
  }
}
