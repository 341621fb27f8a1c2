package org.memvirt.mmu.shadow;

import java.util.Arrays;
import org.memvirt.api.Counter;
import org.memvirt.api.memory.Pages;
import org.memvirt.api.mmu.Pte;

/**
 * A VM's shadow pages, in primitive arrays indexed by shadow page id: each page's entries,
 * the guest table it shadows (or {@link #DIRECT}), its level, the guest virtual base it
 * covers, its root, its parent entry, whether it is out of sync and how often its guest
 * table was written since its last use; and, per guest frame, the page that shadows it.
 * Ids of freed pages are reused.
 */
final class ShadowPages {
  static final int NONE = -1;
  /** Guest-table field of a direct shadow page, which shadows no guest table. */
  static final long DIRECT = -1;

  long[][] entries = new long[64][];
  long[] guestTable = new long[64];
  int[] level = new int[64];
  long[] vaBase = new long[64];
  long[] rootOf = new long[64];
  int[] parent = new int[64];
  int[] parentIndex = new int[64];
  boolean[] unsync = new boolean[64];
  int[] writes = new int[64];
  /** Ids in use are below it. */
  int highWater;
  private int[] freeIds = new int[64];
  private int freeTop;
  private final int[] shadowOfTable;
  private final Counter count;

  ShadowPages(int guestPages, Counter count) {
    this.shadowOfTable = new int[guestPages];
    Arrays.fill(shadowOfTable, NONE);
    this.count = count;
  }

  /** The shadow page of guest table {@code gppn}, or {@link #NONE}. */
  int ofTable(long gppn) {
    return shadowOfTable[(int) gppn];
  }

  /** Whether {@code sp} is the shadow of a guest table (not a direct page). */
  boolean shadowsTable(int sp) {
    return guestTable[sp] != DIRECT && shadowOfTable[(int) guestTable[sp]] == sp;
  }

  /** A new, empty shadow page for guest {@code table} (or {@link #DIRECT}), linked from entry {@code index} of {@code parentPage}. */
  int create(long table, int lvl, long base, long root, int parentPage, int index) {
    int id;
    if (freeTop > 0) {
      id = freeIds[--freeTop];
      Arrays.fill(entries[id], 0);
    } else {
      id = highWater++;
      if (id == entries.length) {
        grow();
      }
      entries[id] = new long[Pte.ENTRIES];
    }
    guestTable[id] = table;
    level[id] = lvl;
    vaBase[id] = base;
    rootOf[id] = root;
    parent[id] = parentPage;
    parentIndex[id] = index;
    unsync[id] = false;
    writes[id] = 0;
    if (table != DIRECT) {
      shadowOfTable[(int) table] = id;
    }
    count.increment();
    return id;
  }

  /** {@code sp} is gone: its guest table is no longer shadowed, its id free for reuse. */
  void free(int sp) {
    if (shadowsTable(sp)) {
      shadowOfTable[(int) guestTable[sp]] = NONE;
    }
    count.add(-1);
    if (freeTop == freeIds.length) {
      freeIds = Arrays.copyOf(freeIds, freeIds.length * 2);
    }
    freeIds[freeTop++] = sp;
  }

  /** The guest virtual page that entry {@code index} of {@code sp} maps. */
  long virtualPage(int sp, int index) {
    return Pages.number(vaBase[sp] | ((long) index << (Pages.SHIFT + 9 * (level[sp] - 1))));
  }

  private void grow() {
    int n = entries.length * 2;
    entries = Arrays.copyOf(entries, n);
    guestTable = Arrays.copyOf(guestTable, n);
    level = Arrays.copyOf(level, n);
    vaBase = Arrays.copyOf(vaBase, n);
    rootOf = Arrays.copyOf(rootOf, n);
    parent = Arrays.copyOf(parent, n);
    parentIndex = Arrays.copyOf(parentIndex, n);
    unsync = Arrays.copyOf(unsync, n);
    writes = Arrays.copyOf(writes, n);
  }
}
