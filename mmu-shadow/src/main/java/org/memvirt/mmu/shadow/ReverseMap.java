package org.memvirt.mmu.shadow;

import java.util.Arrays;

/**
 * From a guest frame to the one leaf shadow entry that maps it, or to "many" (as KVM's rmap
 * collapses to a list; here a P2M change of such a frame zaps everything): what lets a P2M
 * change drop exactly the entries that used it. A slot is (shadow page, index) + 1; 0 is
 * none.
 */
final class ReverseMap {
  private static final long MANY = -1;

  private final long[] slots;
  private final ShadowPages pages;

  ReverseMap(int guestPages, ShadowPages pages) {
    this.slots = new long[guestPages];
    this.pages = pages;
  }

  private static long slot(int sp, int index) {
    return ((long) sp << 9 | index) + 1;
  }

  /** Entry {@code index} of {@code sp} now maps {@code gppn}. */
  void add(long gppn, int sp, int index) {
    long slot = slot(sp, index);
    long r = slots[(int) gppn];
    if (r == 0 || r == slot) {
      slots[(int) gppn] = slot;
      return;
    }
    if (r != MANY) {
      // The slot known before still maps the frame: two entries map it.
      slots[(int) gppn] = maps(r, gppn) ? MANY : slot;
    }
  }

  /** Whether no shadow entry is known to map {@code gppn}. */
  boolean none(long gppn) {
    return slots[(int) gppn] == 0;
  }

  /** Whether several shadow entries may map {@code gppn}. */
  boolean many(long gppn) {
    return slots[(int) gppn] == MANY;
  }

  /** The shadow page of the one entry that maps {@code gppn} (when neither none nor many). */
  int page(long gppn) {
    return (int) ((slots[(int) gppn] - 1) >>> 9);
  }

  /** Its index in that page. */
  int index(long gppn) {
    return (int) ((slots[(int) gppn] - 1) & 511);
  }

  /** {@code gppn} is mapped by no shadow entry now. */
  void clear(long gppn) {
    slots[(int) gppn] = 0;
  }

  /** Entry {@code index} of {@code sp}, which mapped {@code gppn}, is gone. */
  void dropped(long gppn, int sp, int index) {
    if (slots[(int) gppn] == slot(sp, index)) {
      slots[(int) gppn] = 0;
    }
  }

  void clearAll() {
    Arrays.fill(slots, 0);
  }

  /** Whether the entry at {@code slot} is a leaf that still maps {@code gppn}. */
  private boolean maps(long slot, long gppn) {
    int sp = (int) ((slot - 1) >>> 9);
    int index = (int) ((slot - 1) & 511);
    long e = pages.entries[sp] == null ? 0 : pages.entries[sp][index];
    return ShadowEntry.present(e) && ShadowEntry.leaf(e) && ShadowEntry.guestFrame(e) == gppn;
  }
}
