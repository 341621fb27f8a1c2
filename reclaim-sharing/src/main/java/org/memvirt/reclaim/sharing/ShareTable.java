package org.memvirt.reclaim.sharing;

import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;

/**
 * ESX's global page-sharing hash table (Waldspurger OSDI'02, section 4.1): one 16-byte entry
 * per key, the 64-bit hash of a page's content (and salt). An entry is either a shared
 * frame with a 16-bit reference count (counts past 65535 go to a separate overflow table) or
 * a hint: a page hashed once and not shared yet, named by (vm, gppn), whose content may have
 * changed since.
 *
 * <pre>
 * value bit 63      1: a shared frame, 0: a hint
 * shared: bits 0-39 host frame, bits 40-55 count (0xFFFF: see the overflow table)
 * hint:   bits 0-39 gppn,       bits 40-55 vm
 * </pre>
 */
final class ShareTable {
  /** Bytes of one entry, in ESX and here. */
  static final int ENTRY_BYTES = 16;
  private static final long SHARED = 1L << 63;
  private static final long LOW40 = (1L << 40) - 1;
  private static final int COUNT_MAX = 0xFFFF;

  private final Long2LongOpenHashMap entries = LongMaps.create(1 << 12);
  /** Counts past the 16-bit field, by frame: the count is 0xFFFF plus this. */
  private final Long2LongOpenHashMap overflow = LongMaps.create();
  private long shared;
  private long hints;

  static boolean isShared(long value) {
    return (value & SHARED) != 0;
  }

  /** The frame of a shared entry, or the gppn of a hint. */
  static long low(long value) {
    return value & LOW40;
  }

  /** The VM of a hint. */
  static int hintVm(long value) {
    return (int) ((value >>> 40) & 0xFFFF);
  }

  /** The entry under {@code key}, or {@link Long2LongOpenHashMap#MISSING}. */
  long get(long key) {
    return entries.get(key);
  }

  void putHint(long key, int vm, long gppn) {
    long old = entries.get(key);
    if (old != LongMaps.MISSING && isShared(old)) {
      throw new IllegalStateException("a hint would replace the entry of shared frame " + low(old));
    }
    if (old == LongMaps.MISSING) {
      hints++;
    }
    entries.put(key, ((long) vm << 40) | gppn);
  }

  void removeHint(long key) {
    if (entries.remove(key) != LongMaps.MISSING) {
      hints--;
    }
  }

  /** A hint becomes (or a new entry is) a shared frame with {@code count} sharers (at most 65535). */
  void putShared(long key, long frame, int count) {
    long old = entries.get(key);
    if (old != LongMaps.MISSING) {
      if (isShared(old)) {
        throw new IllegalStateException("shared frame " + frame + " would replace shared frame " + low(old));
      }
      hints--;
    }
    shared++;
    entries.put(key, SHARED | ((long) count << 40) | frame);
  }

  /** The reference count of the shared frame under {@code key}. */
  long count(long key) {
    long v = entries.get(key);
    long c = (v >>> 40) & 0xFFFF;
    return c == COUNT_MAX ? c + Math.max(0, overflow.get(low(v))) : c;
  }

  /** One more sharer of the shared frame under {@code key}. */
  void increment(long key) {
    long v = entries.get(key);
    long c = (v >>> 40) & 0xFFFF;
    if (c < COUNT_MAX) {
      entries.put(key, v + (1L << 40));
    } else {
      long extra = overflow.get(low(v));
      overflow.put(low(v), extra == LongMaps.MISSING ? 1 : extra + 1);
    }
  }

  /** One sharer fewer; the entry goes when none are left. Returns the count left. */
  long decrement(long key) {
    long v = entries.get(key);
    long frame = low(v);
    long extra = overflow.get(frame);
    if (extra != LongMaps.MISSING) {
      if (extra == 1) {
        overflow.remove(frame);
      } else {
        overflow.put(frame, extra - 1);
      }
      return count(key);
    }
    long c = ((v >>> 40) & 0xFFFF) - 1;
    if (c == 0) {
      entries.remove(key);
      shared--;
    } else {
      entries.put(key, v - (1L << 40));
    }
    return c;
  }

  long sharedEntries() {
    return shared;
  }

  long hintEntries() {
    return hints;
  }

  long overflowEntries() {
    return overflow.size();
  }

  /** The table's size as ESX lays it out: 16 bytes per entry, the overflow table's too. */
  long modelBytes() {
    return ENTRY_BYTES * (shared + hints + overflow.size());
  }
}
