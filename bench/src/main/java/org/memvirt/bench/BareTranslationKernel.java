package org.memvirt.bench;

import java.util.Arrays;

/**
 * The yardstick for replay speed: what translating an access costs with nothing but the
 * hardware structures, hand-written. Set-associative, true-LRU L1 instruction and data TLBs
 * backed by a unified L2 (memvirt's default geometry: 64 entries 4-way, 64 4-way, 1536
 * 12-way) and, on an L2 miss, a native 4-level radix walk over one {@code long[]} that
 * maps a page on first touch. No virtualization, no metrics, no content: only lookups,
 * walks and fills.
 */
final class BareTranslationKernel {
  private final Tlb l1i = new Tlb(64, 4);
  private final Tlb l1d = new Tlb(64, 4);
  private final Tlb l2 = new Tlb(1536, 12);
  /** Table pages of 512 entries each; page 0 is the root. An entry is the next page, or the frame + 1. */
  private long[] tables = new long[512 * 64];
  private int tablePages = 1;
  private long frames;
  long walks;
  long walkRefs;

  /** The host address of {@code address} for an access of {@code kind} (2 is an instruction fetch). */
  long translate(long address, int kind) {
    long vpn = address >>> 12;
    Tlb l1 = kind == 2 ? l1i : l1d;
    long frame = l1.lookup(vpn);
    if (frame < 0) {
      frame = l2.lookup(vpn);
      if (frame < 0) {
        frame = walk(vpn);
        l2.insert(vpn, frame);
      }
      l1.insert(vpn, frame);
    }
    return (frame << 12) | (address & 4095);
  }

  private long walk(long vpn) {
    walks++;
    int page = 0;
    for (int level = 4; level > 1; level--) {
      int slot = page * 512 + (int) ((vpn >>> (9 * (level - 1))) & 511);
      walkRefs++;
      if (tables[slot] == 0) {
        tables[slot] = newTablePage();
      }
      page = (int) tables[slot];
    }
    int slot = page * 512 + (int) (vpn & 511);
    walkRefs++;
    if (tables[slot] == 0) {
      tables[slot] = ++frames;
    }
    return tables[slot] - 1;
  }

  private int newTablePage() {
    if ((tablePages + 1) * 512 > tables.length) {
      tables = Arrays.copyOf(tables, tables.length * 2);
    }
    return tablePages++;
  }

  /** One TLB: {@code sets} x {@code ways} entries, each set in true LRU order by use stamps. */
  static final class Tlb {
    private final int ways;
    private final int setMask;
    private final long[] keys;
    private final long[] values;
    private final long[] stamps;
    private long clock;

    Tlb(int entries, int ways) {
      this.ways = ways;
      int sets = entries / ways;
      this.setMask = sets - 1;
      if (Integer.bitCount(sets) != 1) {
        throw new IllegalArgumentException("sets must be a power of two");
      }
      keys = new long[entries];
      values = new long[entries];
      stamps = new long[entries];
    }

    long lookup(long vpn) {
      int base = (int) (vpn & setMask) * ways;
      long key = vpn + 1;
      for (int w = base; w < base + ways; w++) {
        if (keys[w] == key) {
          stamps[w] = ++clock;
          return values[w];
        }
      }
      return -1;
    }

    void insert(long vpn, long value) {
      int base = (int) (vpn & setMask) * ways;
      int victim = base;
      for (int w = base; w < base + ways; w++) {
        if (stamps[w] < stamps[victim]) {
          victim = w;
        }
      }
      keys[victim] = vpn + 1;
      values[victim] = value;
      stamps[victim] = ++clock;
    }
  }
}
