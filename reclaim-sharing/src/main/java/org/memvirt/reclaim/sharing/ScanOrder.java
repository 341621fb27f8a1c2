package org.memvirt.reclaim.sharing;

/**
 * A VM's guest pages in random order, each once per pass, a new order every pass (ESX picks
 * candidate pages at random). Kept in O(1) memory: a four-round Feistel permutation over the
 * next even power of two at or above the page count, walking past values out of range.
 */
final class ScanOrder {
  private final long pages;
  private final int halfBits;
  private final long domain;
  private final long seed;
  private final long[] keys = new long[4];
  private long index;
  private long passes;

  ScanOrder(long pages, long seed) {
    this.pages = pages;
    int bits = Math.max(2, 64 - Long.numberOfLeadingZeros(Math.max(1, pages - 1)));
    this.halfBits = (bits + 1) / 2;
    this.domain = 1L << (2 * halfBits);
    this.seed = seed;
    newKeys();
  }

  /** The next page of the pass; a new pass (and order) starts after the last. */
  long next() {
    while (true) {
      if (index == domain) {
        index = 0;
        passes++;
        newKeys();
      }
      long x = permute(index++);
      if (x < pages) {
        return x;
      }
    }
  }

  /** Passes completed. */
  long passes() {
    return passes;
  }

  private void newKeys() {
    for (int r = 0; r < keys.length; r++) {
      keys[r] = ContentHash.mix(seed ^ ContentHash.mix(passes * 4 + r + 1));
    }
  }

  private long permute(long x) {
    long mask = (1L << halfBits) - 1;
    long left = x >>> halfBits;
    long right = x & mask;
    for (long k : keys) {
      long next = left ^ (ContentHash.mix(right ^ k) & mask);
      left = right;
      right = next;
    }
    return (left << halfBits) | right;
  }
}
