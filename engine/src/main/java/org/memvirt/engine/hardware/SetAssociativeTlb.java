package org.memvirt.engine.hardware;

import java.util.Arrays;

/**
 * One set-associative TLB with true LRU replacement. Set index = virtual page number modulo
 * the number of sets. Each way holds a page number (+1; 0 = empty), the address-space tag
 * it belongs to, a value and a last-use stamp, in primitive arrays.
 */
public final class SetAssociativeTlb {
  private final int sets;
  /** sets - 1 when sets is a power of two (the usual case): index by mask, not division. */
  private final long setMask;
  private final int ways;
  private final long[] pages;
  private final long[] tags;
  private final long[] values;
  private final long[] lastUse;
  private long clock;

  public SetAssociativeTlb(int entries, int ways) {
    if (entries <= 0 || ways <= 0 || entries % ways != 0) {
      throw new IllegalArgumentException("entries must be a positive multiple of ways");
    }
    this.ways = ways;
    this.sets = entries / ways;
    this.setMask = Integer.bitCount(sets) == 1 ? sets - 1 : -1;
    this.pages = new long[entries];
    this.tags = new long[entries];
    this.values = new long[entries];
    this.lastUse = new long[entries];
  }

  public int entries() {
    return pages.length;
  }

  public int ways() {
    return ways;
  }

  private int setBase(long vpn) {
    int set = setMask >= 0 ? (int) (vpn & setMask) : (int) Long.remainderUnsigned(vpn, sets);
    return set * ways;
  }

  /** The value cached for {@code vpn} in address space {@code tag}, or -1; a hit becomes most recent. */
  public long lookup(long tag, long vpn) {
    long page = vpn + 1;
    int base = setBase(vpn);
    for (int i = base; i < base + ways; i++) {
      if (pages[i] == page && tags[i] == tag) {
        lastUse[i] = ++clock;
        return values[i];
      }
    }
    return -1;
  }

  /** Inserts or updates {@code vpn} of {@code tag}, evicting the least recently used way of its set. */
  public void insert(long tag, long vpn, long value) {
    long page = vpn + 1;
    int base = setBase(vpn);
    int victim = base;
    for (int i = base; i < base + ways; i++) {
      if (pages[i] == page && tags[i] == tag) {
        victim = i;
        break;
      }
      if (pages[i] == 0) {
        if (pages[victim] != 0) {
          victim = i;
        }
      } else if (pages[victim] != 0 && lastUse[i] < lastUse[victim]) {
        victim = i;
      }
    }
    pages[victim] = page;
    tags[victim] = tag;
    values[victim] = value;
    lastUse[victim] = ++clock;
  }

  public void invalidate(long tag, long vpn) {
    long page = vpn + 1;
    int base = setBase(vpn);
    for (int i = base; i < base + ways; i++) {
      if (pages[i] == page && tags[i] == tag) {
        pages[i] = 0;
      }
    }
  }

  /** Drops every entry of {@code tag}. */
  public void flush(long tag) {
    for (int i = 0; i < pages.length; i++) {
      if (tags[i] == tag) {
        pages[i] = 0;
      }
    }
  }

  public void flush() {
    Arrays.fill(pages, 0);
  }

  /** Whether {@code vpn} of {@code tag} is cached (no LRU update), for tests and reports. */
  public boolean contains(long tag, long vpn) {
    long page = vpn + 1;
    int base = setBase(vpn);
    for (int i = base; i < base + ways; i++) {
      if (pages[i] == page && tags[i] == tag) {
        return true;
      }
    }
    return false;
  }
}
