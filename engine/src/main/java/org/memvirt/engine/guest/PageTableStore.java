package org.memvirt.engine.guest;

import java.util.Arrays;
import org.memvirt.api.mmu.Pte;

/**
 * The contents of a guest's page-table pages: one 512-entry {@code long[]} per table in
 * use, by slot, slots reused as tables are freed. The guest frame a table lives in records
 * its slot; the frame's content token stands for the table in host memory.
 */
final class PageTableStore {
  private long[][] tables = new long[64][];
  private int count;
  private int[] freeSlots = new int[16];
  private int freeTop;

  /** A zeroed table; returns its slot. */
  int create() {
    if (freeTop > 0) {
      int slot = freeSlots[--freeTop];
      Arrays.fill(tables[slot], 0);
      return slot;
    }
    if (count == tables.length) {
      tables = Arrays.copyOf(tables, tables.length * 2);
    }
    tables[count] = new long[Pte.ENTRIES];
    return count++;
  }

  /** The entries of the table in {@code slot}. */
  long[] table(int slot) {
    return tables[slot];
  }

  /** The table in {@code slot} is no longer used. */
  void free(int slot) {
    if (freeTop == freeSlots.length) {
      freeSlots = Arrays.copyOf(freeSlots, freeSlots.length * 2);
    }
    freeSlots[freeTop++] = slot;
  }
}
