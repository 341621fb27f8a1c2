package org.memvirt.trace;

import java.util.Arrays;

/** A set of page numbers: open addressing over a {@code long[]}, no boxing. */
final class PageSet {
  private static final long EMPTY = -1;
  private long[] slots = new long[1 << 12];
  private int size;

  PageSet() {
    Arrays.fill(slots, EMPTY);
  }

  /** Adds {@code page} (not negative). */
  void add(long page) {
    if (size * 2 >= slots.length) {
      grow();
    }
    int mask = slots.length - 1;
    int i = hash(page) & mask;
    while (slots[i] != EMPTY) {
      if (slots[i] == page) {
        return;
      }
      i = (i + 1) & mask;
    }
    slots[i] = page;
    size++;
  }

  int size() {
    return size;
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    Arrays.fill(slots, EMPTY);
    size = 0;
    for (long p : old) {
      if (p != EMPTY) {
        add(p);
      }
    }
  }

  private static int hash(long page) {
    long z = page * 0x9E3779B97F4A7C15L;
    return (int) (z ^ (z >>> 32));
  }
}
