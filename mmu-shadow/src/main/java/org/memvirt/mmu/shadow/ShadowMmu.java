package org.memvirt.mmu.shadow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.memvirt.api.Counter;
import org.memvirt.api.MetricNames;
import org.memvirt.api.Metrics;
import org.memvirt.api.memory.P2m;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.memory.Pages;
import org.memvirt.api.mmu.GuestPageTables;
import org.memvirt.api.mmu.Mmu;
import org.memvirt.api.mmu.MmuContext;
import org.memvirt.api.mmu.Pte;
import org.memvirt.api.mmu.VcpuContext;
import org.memvirt.api.mmu.VcpuMmu;
import org.memvirt.api.mmu.WalkResult;

/**
 * One VM under shadow paging: its shadow pages, the cache of shadow roots, the reverse map
 * from guest pages to shadow entries, and the write protection of shadowed guest tables.
 *
 * <p>Each shadow page shadows one guest page-table page (as in KVM, keyed by the guest
 * frame): entry i is derived from guest entry i, pointing to the shadow page of the next
 * guest table, or, at the leaf, to the host frame of the guest data page. Shadow pages are
 * built on demand, in hidden faults. A shadowed guest table is write-protected: the guest
 * writing an entry traps and the dependent shadow entry is dropped (refilled on next use).
 * A table written {@code flood_threshold} times with no use in between is unshadowed. With
 * {@code unsync}, the first write to a leaf table instead lets it go out of sync, without
 * write protection; it is brought back in step on invlpg, CR3 load or TLB flush.
 *
 * <p>Large pages follow KVM's rule: a guest 2 MiB page gets one large shadow entry only where
 * the host maps the same 2 MiB large too and no shadowed (write-protected) guest table lies
 * inside it; otherwise a direct shadow page (one that shadows no guest table) maps it with
 * 512 small entries.
 *
 * <p>State lives in primitive arrays indexed by shadow page id and by guest frame.
 */
final class ShadowMmu implements Mmu {
  static final long PRESENT = 1;
  static final long WRITABLE = 2;
  static final long LEAF = 4;
  private static final long FRAME_MASK = (1L << 31) - 1;
  private static final long RMAP_MANY = -1;
  static final int NONE = -1;
  /** Guest-table field of a direct shadow page, which shadows no guest table. */
  private static final long DIRECT = -1;
  private static final int BLOCK = 512;

  final MmuContext context;
  final GuestPageTables guest;
  final P2m p2m;
  final int levels;
  private final int rootCacheSize;
  private final boolean unsyncEnabled;
  private final int floodThreshold;

  long[][] entries = new long[64][];
  private long[] guestTable = new long[64];
  private int[] level = new int[64];
  private long[] vaBase = new long[64];
  private long[] rootOf = new long[64];
  private int[] parent = new int[64];
  private int[] parentIndex = new int[64];
  private boolean[] unsync = new boolean[64];
  private int[] writes = new int[64];
  private int highWater;
  private int[] freeIds = new int[64];
  private int freeTop;
  private final int[] shadowOfTable;
  private final long[] rmap;
  /** Shadow roots, most recently used first. */
  private final List<Integer> roots = new ArrayList<>();
  private final List<Integer> unsyncPages = new ArrayList<>();
  final List<ShadowTranslation> vcpus = new ArrayList<>();
  /** Guest levels the last hidden fault read before it found a missing entry. */
  int lastGuestLevelsRead;
  /** A zap dropped upper-level entries: every vCPU flushes its TLB and walk cache once, at the end. */
  private boolean flushPending;

  private final Counter exits;
  private final Counter exitsPteWrite;
  private final Counter exitsHiddenFault;
  private final Counter pteWrites;
  private final Counter zapped;
  private final Counter unsynced;
  private final Counter flooded;
  private final Counter shadowPages;
  private final Counter rootsRebuilt;

  ShadowMmu(MmuContext context, int rootCacheSize, boolean unsyncEnabled, int floodThreshold) {
    this.context = context;
    this.guest = context.guestPageTables();
    this.p2m = context.p2m();
    this.levels = guest.levels();
    this.rootCacheSize = rootCacheSize;
    this.unsyncEnabled = unsyncEnabled;
    this.floodThreshold = floodThreshold;
    int pages = Math.toIntExact(p2m.pages());
    this.shadowOfTable = new int[pages];
    Arrays.fill(shadowOfTable, NONE);
    this.rmap = new long[pages];
    Metrics m = context.metrics();
    this.exits = m.counter(MetricNames.EXITS);
    this.exitsPteWrite = m.counter(ShadowMetrics.EXITS_PTE_WRITE);
    this.exitsHiddenFault = m.counter(ShadowMetrics.EXITS_HIDDEN_FAULT);
    this.pteWrites = m.counter(ShadowMetrics.MMU_PTE_WRITE);
    this.zapped = m.counter(ShadowMetrics.MMU_SHADOW_ZAPPED);
    this.unsynced = m.counter(ShadowMetrics.MMU_UNSYNC);
    this.flooded = m.counter(ShadowMetrics.MMU_FLOODED);
    this.shadowPages = m.counter(ShadowMetrics.SHADOW_PAGES);
    this.rootsRebuilt = m.counter(ShadowMetrics.SHADOW_ROOTS_REBUILT);
  }

  @Override
  public VcpuMmu vcpu(VcpuContext vcpu) {
    ShadowTranslation t = new ShadowTranslation(this, vcpu);
    vcpus.add(t);
    return t;
  }

  // ---- entry encoding ------------------------------------------------------------------

  static boolean present(long e) {
    return (e & PRESENT) != 0;
  }

  static boolean leaf(long e) {
    return (e & LEAF) != 0;
  }

  static boolean writable(long e) {
    return (e & WRITABLE) != 0;
  }

  static int child(long e) {
    return (int) (e >>> 3);
  }

  static long hostFrame(long e) {
    return (e >>> 3) & FRAME_MASK;
  }

  private static long guestFrame(long e) {
    return e >>> 34;
  }

  private static long leafEntry(long hppn, long gppn, boolean writable) {
    return PRESENT | LEAF | (writable ? WRITABLE : 0) | (hppn << 3) | (gppn << 34);
  }

  // ---- shadow pages and roots -----------------------------------------------------------

  private int newPage(long table, int lvl, long base, long root, int parentPage, int index) {
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
    shadowPages.increment();
    return id;
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

  /** The shadow root for guest root {@code cr3}: from the cache, or built empty. */
  int rootFor(long cr3) {
    for (int i = 0; i < roots.size(); i++) {
      int sp = roots.get(i);
      if (guestTable[sp] == cr3) {
        roots.remove(i);
        roots.add(0, sp);
        return sp;
      }
    }
    int stale = shadowOfTable[(int) cr3];
    if (stale != NONE) {
      zapPage(stale);
    }
    rootsRebuilt.increment();
    int sp = newPage(cr3, levels, 0, cr3, NONE, 0);
    roots.add(0, sp);
    return sp;
  }

  /** A CR3 load (the exit is counted by the vCPU): sync, find or build the root, evict idle ones. */
  void switchRoot(ShadowTranslation vcpu, long cr3) {
    syncAll();
    vcpu.cr3 = cr3;
    vcpu.rootSp = rootFor(cr3);
    evictRoots();
  }

  /** Keeps at most {@code root_cache} roots that no vCPU is using. */
  private void evictRoots() {
    int idle = 0;
    for (int i = 0; i < roots.size(); i++) {
      int sp = roots.get(i);
      if (!inUse(sp) && ++idle > rootCacheSize) {
        zapPage(sp);
        i--;
      }
    }
  }

  private boolean inUse(int sp) {
    for (ShadowTranslation v : vcpus) {
      if (v.rootSp == sp) {
        return true;
      }
    }
    return false;
  }

  // ---- hidden faults -------------------------------------------------------------------

  /**
   * The hypervisor's half of a hidden fault: walks the guest tables in software from the
   * vCPU's root, translating through the P2M, builds what is missing of the shadow and
   * fills the leaf. Returns {@link WalkResult#GUEST_FAULT} when the guest does not map
   * {@code gva} (the fault is reflected to the guest), else 0.
   */
  long fill(ShadowTranslation vcpu, long gva, boolean write) {
    int sp = vcpu.rootSp;
    long table = vcpu.cr3;
    for (int lvl = levels; lvl >= 1; lvl--) {
      writes[sp] = 0;
      if (!P2mEntry.readable(p2m.get(table))) {
        context.resolveNestedFault(table, false);
      }
      int index = Pte.index(gva, lvl);
      long ge = guest.read(table, index);
      if (!Pte.present(ge)) {
        lastGuestLevelsRead = levels - lvl + 1;
        return WalkResult.GUEST_FAULT;
      }
      if (lvl == 2 && (ge & Pte.LARGE) != 0) {
        fillLarge(sp, index, ge, table, gva, write);
        return 0;
      }
      if (lvl > 1) {
        guest.setBits(table, index, Pte.ACCESSED);
        long next = Pte.frame(ge);
        long se = entries[sp][index];
        int csp = shadowOfTable[(int) next];
        // A shadow page of that table for another level or another root's tree is stale (a
        // root's level is the top one, so roots are caught here too).
        if (csp != NONE && (level[csp] != lvl - 1 || rootOf[csp] != rootOf[sp])) {
          zapPage(csp);
          csp = NONE;
        }
        if (csp == NONE) {
          csp = newPage(next, lvl - 1, vaBase[sp] | ((long) index << (Pages.SHIFT + 9 * (lvl - 1))), rootOf[sp],
              sp, index);
        } else if (!(present(se) && child(se) == csp)) {
          unlinkFromParent(csp);
          parent[csp] = sp;
          parentIndex[csp] = index;
        }
        if (present(se) && child(se) != csp) {
          zapEntry(sp, index);
        }
        entries[sp][index] = PRESENT | ((long) csp << 3);
        sp = csp;
        table = next;
      } else {
        boolean dirty = write || (ge & Pte.DIRTY) != 0;
        guest.setBits(table, index, write ? Pte.ACCESSED | Pte.DIRTY : Pte.ACCESSED);
        long data = Pte.frame(ge);
        int stale = shadowOfTable[(int) data];
        if (stale != NONE) {
          // The guest now uses a former page table as data: stop write-protecting it.
          zapPage(stale);
        }
        long e = p2m.get(data);
        long hppn = (write ? P2mEntry.writable(e) : P2mEntry.readable(e)) ? P2mEntry.value(e)
            : context.resolveNestedFault(data, write);
        p2m.markAccessed(data);
        boolean w = (ge & Pte.WRITABLE) != 0 && dirty && P2mEntry.writable(p2m.get(data));
        long old = entries[sp][index];
        if (present(old) && guestFrame(old) != data) {
          zapEntry(sp, index);
        }
        entries[sp][index] = leafEntry(hppn, data, w);
        addRmap(data, sp, index);
      }
    }
    return 0;
  }

  /** The guest maps {@code gva} with the 2 MiB page of PDE {@code ge}, entry {@code index} of shadow page {@code sp}. */
  private void fillLarge(int sp, int index, long ge, long pd, long gva, boolean write) {
    boolean dirty = write || (ge & Pte.DIRTY) != 0;
    guest.setBits(pd, index, write ? Pte.ACCESSED | Pte.DIRTY : Pte.ACCESSED);
    long base = Pte.frame(ge);
    long data = base + (Pages.number(gva) & (BLOCK - 1));
    long e = p2m.get(data);
    if (!(write ? P2mEntry.writable(e) : P2mEntry.readable(e))) {
      context.resolveNestedFault(data, write);
    }
    p2m.markAccessed(data);
    long se = entries[sp][index];
    if (P2mEntry.large(p2m.get(base)) && !protectsAnyOf(base)) {
      if (present(se) && !leaf(se)) {
        zapEntry(sp, index);
      }
      boolean w = (ge & Pte.WRITABLE) != 0 && dirty;
      entries[sp][index] = leafEntry(P2mEntry.value(p2m.get(base)), base, w);
      addRmap(base, sp, index);
      return;
    }
    if (present(se) && leaf(se)) {
      zapEntry(sp, index);
      se = 0;
    }
    int direct = present(se) ? child(se) : newPage(DIRECT, 1,
        vaBase[sp] | ((long) index << (Pages.SHIFT + 9)), rootOf[sp], sp, index);
    entries[sp][index] = PRESENT | ((long) direct << 3);
    int small = Pte.index(gva, 1);
    int stale = shadowOfTable[(int) data];
    if (stale != NONE) {
      zapPage(stale);
    }
    long hppn = P2mEntry.value(p2m.get(data));
    boolean w = (ge & Pte.WRITABLE) != 0 && dirty && P2mEntry.writable(p2m.get(data));
    entries[direct][small] = leafEntry(hppn, data, w);
    addRmap(data, direct, small);
  }

  /** Whether any guest page of the 2 MiB block at {@code base} is a shadowed (write-protected) table. */
  private boolean protectsAnyOf(long base) {
    for (int i = 0; i < BLOCK; i++) {
      if (shadowOfTable[(int) base + i] != NONE) {
        return true;
      }
    }
    return false;
  }

  // ---- keeping the shadow in step ------------------------------------------------------

  @Override
  public void guestPageTableWritten(long tableGppn, int index) {
    int sp = shadowOfTable[(int) tableGppn];
    if (sp == NONE || unsync[sp]) {
      return;
    }
    exits.increment();
    exitsPteWrite.increment();
    pteWrites.increment();
    zapEntry(sp, index);
    if (unsyncEnabled && level[sp] == 1) {
      unsync[sp] = true;
      unsyncPages.add(sp);
      unsynced.increment();
      finish();
      return;
    }
    if (++writes[sp] >= floodThreshold) {
      flooded.increment();
      zapPage(sp);
    }
    finish();
  }

  @Override
  public void guestPageWritten(long gppn) {
    int sp = shadowOfTable[(int) gppn];
    if (sp == NONE) {
      return;
    }
    if (!unsync[sp]) {
      exits.increment();
      exitsPteWrite.increment();
    }
    zapPage(sp);
    finish();
  }

  @Override
  public void guestKernelFault(long gppn, boolean write) {
    exitsHiddenFault.increment();
  }

  @Override
  public void p2mChanged(long gppn) {
    long base = gppn & ~(BLOCK - 1L);
    if (base != gppn) {
      zapLargeAt(base);
    }
    long r = rmap[(int) gppn];
    if (r == 0) {
      finish();
      return;
    }
    if (r == RMAP_MANY) {
      zapEverything();
      finish();
      return;
    }
    int sp = (int) ((r - 1) >>> 9);
    int index = (int) ((r - 1) & 511);
    long e = entries[sp] == null ? 0 : entries[sp][index];
    if (present(e) && leaf(e) && guestFrame(e) == gppn) {
      zapEntry(sp, index);
    }
    rmap[(int) gppn] = 0;
    finish();
  }

  /** Drops a large shadow entry mapping the 2 MiB block at {@code base}, if there is one. */
  private void zapLargeAt(long base) {
    long r = rmap[(int) base];
    if (r == 0 || r == RMAP_MANY) {
      return;
    }
    int sp = (int) ((r - 1) >>> 9);
    int index = (int) ((r - 1) & 511);
    long e = entries[sp] == null ? 0 : entries[sp][index];
    if (present(e) && leaf(e) && level[sp] == 2 && guestFrame(e) == base) {
      zapEntry(sp, index);
    }
  }

  private void addRmap(long gppn, int sp, int index) {
    long slot = ((long) sp << 9 | index) + 1;
    long r = rmap[(int) gppn];
    if (r == 0 || r == slot) {
      rmap[(int) gppn] = slot;
      return;
    }
    if (r != RMAP_MANY) {
      int osp = (int) ((r - 1) >>> 9);
      int oidx = (int) ((r - 1) & 511);
      long e = entries[osp] == null ? 0 : entries[osp][oidx];
      rmap[(int) gppn] = present(e) && leaf(e) && guestFrame(e) == gppn ? RMAP_MANY : slot;
    }
  }

  /** invlpg from a vCPU whose shadow root is {@code rootSp}: sync the leaf page mapping {@code gva}. */
  void invlpg(int rootSp, long gva) {
    int sp = rootSp;
    for (int lvl = levels; lvl > 1 && sp != NONE; lvl--) {
      int index = Pte.index(gva, lvl);
      long e = entries[sp][index];
      if (present(e) && leaf(e)) {
        // A large shadow entry maps gva: it is the one to check.
        if (!matchesGuest(sp, index, e)) {
          zapEntry(sp, index);
        }
        return;
      }
      sp = present(e) ? child(e) : NONE;
    }
    if (sp != NONE) {
      if (unsync[sp]) {
        sync(sp);
      } else {
        int index = Pte.index(gva, 1);
        long e = entries[sp][index];
        if (present(e) && !matchesGuest(sp, index, e)) {
          zapEntry(sp, index);
        }
      }
    }
  }

  /** invpcid for the address space of guest root {@code cr3}, running or not. */
  void invlpgRoot(long cr3, long gva) {
    for (int sp : roots) {
      if (guestTable[sp] == cr3) {
        invlpg(sp, gva);
        return;
      }
    }
  }

  /** Whether a leaf shadow entry still says what its guest entry says. */
  private boolean matchesGuest(int sp, int index, long e) {
    if (guestTable[sp] == DIRECT) {
      return false; // re-derived on next use: cheap, and always right
    }
    long ge = guest.read(guestTable[sp], index);
    return Pte.present(ge) && Pte.frame(ge) == guestFrame(e) && (ge & Pte.ACCESSED) != 0
        && (!writable(e) || (ge & Pte.DIRTY) != 0);
  }

  /** Brings an unsync leaf page back in step and write-protects it again. */
  private void sync(int sp) {
    for (int i = 0; i < Pte.ENTRIES; i++) {
      long e = entries[sp][i];
      if (present(e) && !matchesGuest(sp, i, e)) {
        zapEntry(sp, i);
      }
    }
    unsync[sp] = false;
    unsyncPages.remove(Integer.valueOf(sp));
  }

  /** Syncs every unsync page (a CR3 load or a full TLB flush). */
  void syncAll() {
    while (!unsyncPages.isEmpty()) {
      sync(unsyncPages.get(unsyncPages.size() - 1));
    }
  }

  // ---- dropping shadow state -----------------------------------------------------------

  /** Drops one shadow entry and every cached translation that depended on it. */
  private void zapEntry(int sp, int index) {
    long e = entries[sp][index];
    if (!present(e)) {
      return;
    }
    entries[sp][index] = 0;
    if (leaf(e)) {
      long gppn = guestFrame(e);
      long slot = ((long) sp << 9 | index) + 1;
      if (rmap[(int) gppn] == slot) {
        rmap[(int) gppn] = 0;
      }
      long vpn = Pages.number(vaBase[sp] | ((long) index << (Pages.SHIFT + 9 * (level[sp] - 1))));
      for (ShadowTranslation v : vcpus) {
        v.invalidate(rootOf[sp], vpn);
      }
    } else {
      int c = child(e);
      if (parent[c] == sp && parentIndex[c] == index) {
        parent[c] = NONE;
      }
      flushAllVcpus();
    }
  }

  /** Drops a shadow page and its subtree; the guest tables they shadowed are no longer protected. */
  private void zapPage(int sp) {
    for (int i = 0; i < Pte.ENTRIES; i++) {
      long e = entries[sp][i];
      if (present(e) && !leaf(e)) {
        int c = child(e);
        entries[sp][i] = 0;
        if (parent[c] == sp && parentIndex[c] == i) {
          zapPage(c);
        }
      } else if (present(e)) {
        zapEntry(sp, i);
      }
    }
    unlinkFromParent(sp);
    if (guestTable[sp] != DIRECT && shadowOfTable[(int) guestTable[sp]] == sp) {
      shadowOfTable[(int) guestTable[sp]] = NONE;
    }
    if (unsync[sp]) {
      unsyncPages.remove(Integer.valueOf(sp));
      unsync[sp] = false;
    }
    roots.remove(Integer.valueOf(sp));
    for (ShadowTranslation v : vcpus) {
      if (v.rootSp == sp) {
        v.rootSp = NONE;
      }
    }
    zapped.increment();
    shadowPages.add(-1);
    if (freeTop == freeIds.length) {
      freeIds = Arrays.copyOf(freeIds, freeIds.length * 2);
    }
    freeIds[freeTop++] = sp;
    flushAllVcpus();
  }

  private void unlinkFromParent(int sp) {
    int p = parent[sp];
    if (p != NONE) {
      long e = entries[p][parentIndex[sp]];
      if (present(e) && !leaf(e) && child(e) == sp) {
        entries[p][parentIndex[sp]] = 0;
      }
      parent[sp] = NONE;
    }
  }

  private void zapEverything() {
    while (!roots.isEmpty()) {
      zapPage(roots.get(0));
    }
    for (int sp = 0; sp < highWater; sp++) {
      if (guestTable[sp] != DIRECT && shadowOfTable[(int) guestTable[sp]] == sp) {
        zapPage(sp);
      }
    }
    Arrays.fill(rmap, 0);
  }

  private void flushAllVcpus() {
    flushPending = true;
  }

  /** Ends an operation that may have zapped: one flush on every vCPU if needed. */
  void finish() {
    if (flushPending) {
      flushPending = false;
      for (ShadowTranslation v : vcpus) {
        v.flushHardware();
      }
    }
  }
}
