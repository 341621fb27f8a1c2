package org.memvirt.reclaim.sharing;

import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;

/**
 * The sharing module's maps from {@code long} to {@code long}: fastutil's open-addressing
 * maps (16 bytes an entry over two primitive arrays, at most 4/3 of that with the load
 * factor), which answer {@link #MISSING} for an absent key, so that every key is allowed.
 */
final class LongMaps {
  /** What a lookup or a removal of an absent key returns. */
  static final long MISSING = Long.MIN_VALUE;

  private LongMaps() {}

  static Long2LongOpenHashMap create() {
    return create(16);
  }

  static Long2LongOpenHashMap create(int expected) {
    Long2LongOpenHashMap m = new Long2LongOpenHashMap(expected);
    m.defaultReturnValue(MISSING);
    return m;
  }
}
