package org.memvirt.mmu.shadow;

import static org.memvirt.mmu.shadow.ShadowEntry.child;
import static org.memvirt.mmu.shadow.ShadowEntry.guestFrame;
import static org.memvirt.mmu.shadow.ShadowEntry.leaf;
import static org.memvirt.mmu.shadow.ShadowEntry.present;
import static org.memvirt.mmu.shadow.ShadowEntry.writable;

import java.util.ArrayList;
import java.util.List;
import org.memvirt.api.Counter;
import org.memvirt.api.MetricNames;
import org.memvirt.api.Metrics;
import org.memvirt.api.mmu.GuestPageTables;
import org.memvirt.api.mmu.Mmu;
import org.memvirt.api.mmu.MmuContext;
import org.memvirt.api.mmu.Pte;
import org.memvirt.api.mmu.VcpuContext;
import org.memvirt.api.mmu.VcpuMmu;

/**
 * One VM under shadow paging, and the coherence of its shadow with the guest and the P2M:
 * its shadow pages ({@link ShadowPages}), the cache of roots ({@link ShadowRoots}), the
 * reverse map from guest frames to shadow entries ({@link ReverseMap}), the fill of a
 * hidden fault ({@link HiddenFault}), and here the write protection of shadowed guest
 * tables and every zap.
 *
 * <p>Each shadow page shadows one guest page-table page (as in KVM, keyed by the guest
 * frame): entry i is derived from guest entry i, pointing to the shadow page of the next
 * guest table, or, at the leaf, to the host frame of the guest data page. Shadow pages are
 * built on demand, in hidden faults. A shadowed guest table is write-protected: the guest
 * writing an entry traps and the dependent shadow entry is dropped (refilled on next use).
 * A table written {@code flood_threshold} times with no use in between is unshadowed. With
 * {@code unsync}, the first write to a leaf table instead lets it go out of sync, without
 * write protection; it is brought back in step on invlpg, CR3 load or TLB flush.
 */
final class ShadowMmu implements Mmu {
  private static final int BLOCK = 512;

  final int levels;
  final ShadowPages pages;
  private final GuestPageTables guest;
  private final ReverseMap rmap;
  private final ShadowRoots roots;
  private final HiddenFault hiddenFault;
  private final boolean unsyncEnabled;
  private final int floodThreshold;
  private final List<Integer> unsyncPages = new ArrayList<>();
  final List<ShadowTranslation> vcpus = new ArrayList<>();
  /** A zap dropped upper-level entries: every vCPU flushes its TLB and walk cache once, at the end. */
  private boolean flushPending;

  private final Counter exits;
  private final Counter exitsPteWrite;
  private final Counter exitsHiddenFault;
  private final Counter pteWrites;
  private final Counter zapped;
  private final Counter unsynced;
  private final Counter flooded;
  private final Counter rootsRebuilt;

  ShadowMmu(MmuContext context, int rootCacheSize, boolean unsyncEnabled, int floodThreshold) {
    this.guest = context.guestPageTables();
    this.levels = guest.levels();
    this.unsyncEnabled = unsyncEnabled;
    this.floodThreshold = floodThreshold;
    int guestPages = Math.toIntExact(context.p2m().pages());
    Metrics m = context.metrics();
    this.pages = new ShadowPages(guestPages, m.counter(ShadowMetrics.SHADOW_PAGES));
    this.rmap = new ReverseMap(guestPages, pages);
    this.roots = new ShadowRoots(rootCacheSize);
    this.hiddenFault = new HiddenFault(this, pages, rmap, context);
    this.exits = m.counter(MetricNames.EXITS);
    this.exitsPteWrite = m.counter(ShadowMetrics.EXITS_PTE_WRITE);
    this.exitsHiddenFault = m.counter(ShadowMetrics.EXITS_HIDDEN_FAULT);
    this.pteWrites = m.counter(ShadowMetrics.MMU_PTE_WRITE);
    this.zapped = m.counter(ShadowMetrics.MMU_SHADOW_ZAPPED);
    this.unsynced = m.counter(ShadowMetrics.MMU_UNSYNC);
    this.flooded = m.counter(ShadowMetrics.MMU_FLOODED);
    this.rootsRebuilt = m.counter(ShadowMetrics.SHADOW_ROOTS_REBUILT);
  }

  @Override
  public VcpuMmu vcpu(VcpuContext vcpu) {
    ShadowTranslation t = new ShadowTranslation(this, vcpu);
    vcpus.add(t);
    return t;
  }

  // ---- roots ---------------------------------------------------------------------------

  /** The shadow root for guest root {@code cr3}: from the cache, or built empty. */
  int rootFor(long cr3) {
    int cached = roots.find(cr3, pages);
    if (cached != ShadowPages.NONE) {
      return cached;
    }
    int stale = pages.ofTable(cr3);
    if (stale != ShadowPages.NONE) {
      zapPage(stale);
    }
    rootsRebuilt.increment();
    int sp = pages.create(cr3, levels, 0, cr3, ShadowPages.NONE, 0);
    roots.add(sp);
    return sp;
  }

  /** A CR3 load (the exit is counted by the vCPU): sync, find or build the root, evict idle ones. */
  void switchRoot(ShadowTranslation vcpu, long cr3) {
    syncAll();
    vcpu.cr3 = cr3;
    vcpu.rootSp = rootFor(cr3);
    for (int sp : roots.beyondCache(this::inUse)) {
      zapPage(sp);
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
   * A hidden fault of {@code vcpu} on {@code gva} ({@link HiddenFault#fill}): {@link
   * org.memvirt.api.mmu.WalkResult#GUEST_FAULT} when the guest does not map it, else 0.
   */
  long fill(ShadowTranslation vcpu, long gva, boolean write) {
    return hiddenFault.fill(vcpu.rootSp, vcpu.cr3, gva, write);
  }

  /** Guest levels the last hidden fault read before it found a missing entry. */
  int lastGuestLevelsRead() {
    return hiddenFault.lastGuestLevelsRead;
  }

  // ---- keeping the shadow in step ------------------------------------------------------

  @Override
  public void guestPageTableWritten(long tableGppn, int index) {
    int sp = pages.ofTable(tableGppn);
    if (sp == ShadowPages.NONE || pages.unsync[sp]) {
      return;
    }
    exits.increment();
    exitsPteWrite.increment();
    pteWrites.increment();
    zapEntry(sp, index);
    if (unsyncEnabled && pages.level[sp] == 1) {
      pages.unsync[sp] = true;
      unsyncPages.add(sp);
      unsynced.increment();
      finish();
      return;
    }
    if (++pages.writes[sp] >= floodThreshold) {
      flooded.increment();
      zapPage(sp);
    }
    finish();
  }

  @Override
  public void guestPageWritten(long gppn) {
    int sp = pages.ofTable(gppn);
    if (sp == ShadowPages.NONE) {
      return;
    }
    if (!pages.unsync[sp]) {
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
    if (rmap.none(gppn)) {
      finish();
      return;
    }
    if (rmap.many(gppn)) {
      zapEverything();
      finish();
      return;
    }
    int sp = rmap.page(gppn);
    int index = rmap.index(gppn);
    long e = pages.entries[sp] == null ? 0 : pages.entries[sp][index];
    if (present(e) && leaf(e) && guestFrame(e) == gppn) {
      zapEntry(sp, index);
    }
    rmap.clear(gppn);
    finish();
  }

  /** Drops a large shadow entry mapping the 2 MiB block at {@code base}, if there is one. */
  private void zapLargeAt(long base) {
    if (rmap.none(base) || rmap.many(base)) {
      return;
    }
    int sp = rmap.page(base);
    int index = rmap.index(base);
    long e = pages.entries[sp] == null ? 0 : pages.entries[sp][index];
    if (present(e) && leaf(e) && pages.level[sp] == 2 && guestFrame(e) == base) {
      zapEntry(sp, index);
    }
  }

  /** invlpg from a vCPU whose shadow root is {@code rootSp}: sync the leaf page mapping {@code gva}. */
  void invlpg(int rootSp, long gva) {
    int sp = rootSp;
    for (int lvl = levels; lvl > 1 && sp != ShadowPages.NONE; lvl--) {
      int index = Pte.index(gva, lvl);
      long e = pages.entries[sp][index];
      if (present(e) && leaf(e)) {
        // A large shadow entry maps gva: it is the one to check.
        if (!matchesGuest(sp, index, e)) {
          zapEntry(sp, index);
        }
        return;
      }
      sp = present(e) ? child(e) : ShadowPages.NONE;
    }
    if (sp != ShadowPages.NONE) {
      if (pages.unsync[sp]) {
        sync(sp);
      } else {
        int index = Pte.index(gva, 1);
        long e = pages.entries[sp][index];
        if (present(e) && !matchesGuest(sp, index, e)) {
          zapEntry(sp, index);
        }
      }
    }
  }

  /** invpcid for the address space of guest root {@code cr3}, running or not. */
  void invlpgRoot(long cr3, long gva) {
    int sp = roots.peek(cr3, pages);
    if (sp != ShadowPages.NONE) {
      invlpg(sp, gva);
    }
  }

  /** Whether a leaf shadow entry still says what its guest entry says. */
  private boolean matchesGuest(int sp, int index, long e) {
    if (pages.guestTable[sp] == ShadowPages.DIRECT) {
      return false; // re-derived on next use: cheap, and always right
    }
    long ge = guest.read(pages.guestTable[sp], index);
    return Pte.present(ge) && Pte.frame(ge) == guestFrame(e) && (ge & Pte.ACCESSED) != 0
        && (!writable(e) || (ge & Pte.DIRTY) != 0);
  }

  /** Brings an unsync leaf page back in step and write-protects it again. */
  private void sync(int sp) {
    for (int i = 0; i < Pte.ENTRIES; i++) {
      long e = pages.entries[sp][i];
      if (present(e) && !matchesGuest(sp, i, e)) {
        zapEntry(sp, i);
      }
    }
    pages.unsync[sp] = false;
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
  void zapEntry(int sp, int index) {
    long e = pages.entries[sp][index];
    if (!present(e)) {
      return;
    }
    pages.entries[sp][index] = 0;
    if (leaf(e)) {
      rmap.dropped(guestFrame(e), sp, index);
      long vpn = pages.virtualPage(sp, index);
      for (ShadowTranslation v : vcpus) {
        v.invalidate(pages.rootOf[sp], vpn);
      }
    } else {
      int c = child(e);
      if (pages.parent[c] == sp && pages.parentIndex[c] == index) {
        pages.parent[c] = ShadowPages.NONE;
      }
      flushAllVcpus();
    }
  }

  /** Drops a shadow page and its subtree; the guest tables they shadowed are no longer protected. */
  void zapPage(int sp) {
    for (int i = 0; i < Pte.ENTRIES; i++) {
      long e = pages.entries[sp][i];
      if (present(e) && !leaf(e)) {
        int c = child(e);
        pages.entries[sp][i] = 0;
        if (pages.parent[c] == sp && pages.parentIndex[c] == i) {
          zapPage(c);
        }
      } else if (present(e)) {
        zapEntry(sp, i);
      }
    }
    unlinkFromParent(sp);
    if (pages.unsync[sp]) {
      unsyncPages.remove(Integer.valueOf(sp));
      pages.unsync[sp] = false;
    }
    roots.remove(sp);
    for (ShadowTranslation v : vcpus) {
      if (v.rootSp == sp) {
        v.rootSp = ShadowPages.NONE;
      }
    }
    zapped.increment();
    pages.free(sp);
    flushAllVcpus();
  }

  void unlinkFromParent(int sp) {
    int p = pages.parent[sp];
    if (p != ShadowPages.NONE) {
      long e = pages.entries[p][pages.parentIndex[sp]];
      if (present(e) && !leaf(e) && child(e) == sp) {
        pages.entries[p][pages.parentIndex[sp]] = 0;
      }
      pages.parent[sp] = ShadowPages.NONE;
    }
  }

  private void zapEverything() {
    while (!roots.isEmpty()) {
      zapPage(roots.first());
    }
    for (int sp = 0; sp < pages.highWater; sp++) {
      if (pages.shadowsTable(sp)) {
        zapPage(sp);
      }
    }
    rmap.clearAll();
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
