package org.memvirt.api.mmu;

import org.memvirt.api.memory.Pages;

/** x86-64 page-table entry bits and index arithmetic (Intel SDM vol. 3, ch. 4.5). */
public final class Pte {
  private Pte() {}

  public static final long PRESENT = 1L;
  public static final long WRITABLE = 1L << 1;
  public static final long USER = 1L << 2;
  public static final long ACCESSED = 1L << 5;
  public static final long DIRTY = 1L << 6;
  /** Page size: the entry maps a large page instead of pointing to a table. */
  public static final long LARGE = 1L << 7;
  /** Software bit (ignored by hardware): a non-present entry whose page is in guest swap. */
  public static final long SWAPPED = 1L << 9;
  private static final long FRAME_MASK = ((1L << 52) - 1) & ~Pages.OFFSET_MASK;

  /** Entries per table. */
  public static final int ENTRIES = 512;

  public static boolean present(long pte) {
    return (pte & PRESENT) != 0;
  }

  /** The frame (guest physical page number) an entry points to. */
  public static long frame(long pte) {
    return (pte & FRAME_MASK) >>> Pages.SHIFT;
  }

  /** An entry pointing to {@code frame} with {@code flags}. */
  public static long make(long frame, long flags) {
    return (frame << Pages.SHIFT) | flags;
  }

  /**
   * The bits of {@code va} above the index of {@code level}: the same for every address the
   * table entry at {@code level} covers (the key of a paging-structure cache).
   */
  public static long prefix(long va, int level) {
    return va >>> (Pages.SHIFT + 9 * (level - 1));
  }

  /** The index into the table of {@code level} (1 = leaf) for virtual address {@code va}. */
  public static int index(long va, int level) {
    return (int) (va >>> (Pages.SHIFT + 9 * (level - 1))) & (ENTRIES - 1);
  }
}
