package org.memvirt.mmu.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memvirt.api.AccessKind;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.mmu.Pte;
import org.memvirt.testkit.FakeMachine;
import org.memvirt.testkit.MapTlb;

/**
 * What each way of dropping shadow state drops, exactly: one leaf entry takes one TLB entry
 * (of its own address and address space) and nothing else; dropping a shadow page flushes
 * every vCPU once; a page mapped twice drops everything; the root cache keeps what it is
 * told; invlpg, a CR3 load and a TLB flush bring an out-of-sync table back in step; a large
 * guest page over a write-protected table is not shadowed large.
 */
class ShadowZapTest extends ShadowRig {
  /** An address whose page-table index is different and non-zero at every level. */
  private static final long A = (3L << 39) | (5L << 30) | (7L << 21) | (9L << 12);
  /** Another page of A's leaf table. */
  private static final long B = A + 4096;
  /** A page of another leaf table. */
  private static final long C = A + (2L << 21);

  /** A TLB that records which page of which address space each invalidation was for. */
  static final class RecordingTlb extends MapTlb {
    final List<long[]> invalidated = new ArrayList<>();

    @Override
    public void invalidate(long tag, long vpn) {
      invalidated.add(new long[] {tag, vpn});
      invalidate(vpn);
    }
  }

  private RecordingTlb recording;

  @Override
  MapTlb newTlb() {
    recording = new RecordingTlb();
    return recording;
  }

  /** {@link ShadowRig#boot} with a recording TLB, its record started after the boot. */
  private long start(Map<String, Object> settings) {
    long root = boot(settings);
    recording.invalidated.clear();
    return root;
  }

  private long frameOf(long gva) {
    return cpu.translate(gva, AccessKind.READ) >>> 12;
  }

  private boolean cached(long gva) {
    return tlb.lookup(gva >>> 12, AccessKind.READ) != MapTlb.MISS;
  }

  @Test
  void aTrappedWriteDropsOnlyTheTranslationItShadowed() {
    long root = start(Map.of("unsync", "false"));
    fm.map(root, A, true);
    fm.map(root, B, true);
    fm.map(root, C, true);
    frameOf(A);
    frameOf(B);
    frameOf(C);
    long pages = fm.count(ShadowMetrics.SHADOW_PAGES);
    int flushes = tlb.flushes();
    long table = Pte.frame(fm.leaf(root, A, 2));
    mmu.guestPageTableWritten(table, Pte.index(A, 1));
    assertThat(recording.invalidated).hasSize(1);
    assertThat(recording.invalidated.get(0)).containsExactly(root, A >>> 12);
    assertThat(cached(A)).isFalse();
    assertThat(cached(B)).isTrue();
    assertThat(cached(C)).isTrue();
    assertThat(tlb.flushes()).isEqualTo(flushes);
    assertThat(fm.count(ShadowMetrics.SHADOW_PAGES)).isEqualTo(pages);
    long faults = fm.count(ShadowMetrics.EXITS_HIDDEN_FAULT);
    frameOf(A);
    assertThat(fm.count(ShadowMetrics.EXITS_HIDDEN_FAULT) - faults).isEqualTo(1);
  }

  /** A P2M change of a page mapped once drops that one entry, for its own address. */
  @Test
  void aP2mChangeDropsTheOneEntryOfItsPage() {
    long root = start(Map.of());
    fm.map(root, A, true);
    long c = fm.map(root, C, true);
    frameOf(A);
    frameOf(C);
    int flushes = tlb.flushes();
    fm.setP2m(c, P2mEntry.mapped(77));
    mmu.p2mChanged(c);
    assertThat(recording.invalidated).hasSize(1);
    assertThat(recording.invalidated.get(0)).containsExactly(root, C >>> 12);
    assertThat(tlb.flushes()).isEqualTo(flushes);
    assertThat(cached(A)).isTrue();
    assertThat(frameOf(C)).isEqualTo(77);
    // A page no shadow entry maps: nothing to drop.
    mmu.p2mChanged(3000);
    assertThat(recording.invalidated).hasSize(1);
  }

  /** Dropping a shadow page (flooding) flushes the vCPU's TLB and walk cache once, at the end. */
  @Test
  void droppingAShadowPageFlushesOnce() {
    long root = start(Map.of("unsync", "false", "flood_threshold", "1"));
    fm.map(root, A, true);
    fm.map(root, C, true);
    frameOf(A);
    frameOf(C);
    int flushes = tlb.flushes();
    mmu.guestPageTableWritten(Pte.frame(fm.leaf(root, A, 2)), 100);
    assertThat(tlb.flushes() - flushes).isEqualTo(1);
    assertThat(cached(C)).isFalse();
    // A table reused as data, likewise.
    frameOf(C);
    mmu.guestPageWritten(Pte.frame(fm.leaf(root, C, 2)));
    assertThat(tlb.flushes() - flushes).isEqualTo(2);
    // A page that is not a shadowed table: nothing.
    mmu.guestPageWritten(3000);
    assertThat(tlb.flushes() - flushes).isEqualTo(2);
  }

  /**
   * A P2M change of a page the shadow maps at two places (the reverse map keeps one): every
   * shadow page goes, the vCPU's root with them, and the next access rebuilds from the root.
   */
  @Test
  void aP2mChangeOfAPageMappedTwiceDropsEverything() {
    long root = start(Map.of());
    long data = fm.map(root, A, true);
    fm.map(root, C, true);
    fm.writeGuestEntry(Pte.frame(fm.leaf(root, C, 2)), Pte.index(C, 1), Pte.make(data, Pte.PRESENT | Pte.WRITABLE));
    frameOf(A);
    frameOf(C);
    long rebuilt = fm.count(ShadowMetrics.SHADOW_ROOTS_REBUILT);
    int flushes = tlb.flushes();
    fm.setP2m(data, P2mEntry.mapped(66));
    mmu.p2mChanged(data);
    assertThat(fm.count(ShadowMetrics.SHADOW_PAGES)).isZero();
    assertThat(tlb.flushes() - flushes).isEqualTo(1);
    assertThat(frameOf(A)).isEqualTo(66);
    assertThat(frameOf(C)).isEqualTo(66);
    assertThat(fm.count(ShadowMetrics.SHADOW_ROOTS_REBUILT) - rebuilt).isEqualTo(1);
  }

  /** Roots switched R1, R2, R3, R1, R2: rebuilt each time without a cache or with one of one, kept by one that holds them. */
  @Test
  void theRootCacheKeepsAsManyIdleRootsAsItIsGiven() {
    int[] cache = {0, 1, 4};
    long[] rebuilt = {4, 4, 2};
    for (int k = 0; k < cache.length; k++) {
      long r1 = start(Map.of("root_cache", Integer.toString(cache[k])));
      long r2 = fm.newTable();
      long r3 = fm.newTable();
      for (long r : new long[] {r1, r2, r3}) {
        fm.map(r, A, true);
      }
      for (long r : new long[] {r2, r3, r1, r2}) {
        cpu.mmu().loadCr3(r);
        frameOf(A);
      }
      // Less the root the boot built.
      assertThat(fm.count(ShadowMetrics.SHADOW_ROOTS_REBUILT) - 1).as("root_cache " + cache[k])
          .isEqualTo(rebuilt[k]);
    }
  }

  /** One idle root kept: the most recently used of them, not the oldest. */
  @Test
  void theRootCacheKeepsTheMostRecentIdleRoot() {
    long r1 = start(Map.of("root_cache", "1"));
    long r2 = fm.newTable();
    long r3 = fm.newTable();
    for (long r : new long[] {r1, r2, r3}) {
      fm.map(r, A, true);
    }
    cpu.mmu().loadCr3(r2);
    cpu.mmu().loadCr3(r3);
    long rebuilt = fm.count(ShadowMetrics.SHADOW_ROOTS_REBUILT);
    cpu.mmu().loadCr3(r2);
    assertThat(fm.count(ShadowMetrics.SHADOW_ROOTS_REBUILT)).isEqualTo(rebuilt);
    cpu.mmu().loadCr3(r1);
    assertThat(fm.count(ShadowMetrics.SHADOW_ROOTS_REBUILT) - rebuilt).isEqualTo(1);
  }

  /** The guest changes an entry of an out-of-sync table without a trap: a CR3 load, then a TLB flush, bring it in step. */
  @Test
  void aCr3LoadAndAFlushSyncAnOutOfSyncTable() {
    for (boolean byFlush : new boolean[] {false, true}) {
      long root = start(Map.of());
      fm.map(root, A, true);
      long b = fm.map(root, B, true);
      frameOf(A);
      frameOf(B);
      long table = Pte.frame(fm.leaf(root, A, 2));
      // The first trapped write lets the leaf table go out of sync; later writes are not seen.
      mmu.guestPageTableWritten(table, Pte.index(B, 1));
      assertThat(fm.count(ShadowMetrics.MMU_UNSYNC)).isEqualTo(1);
      frameOf(B);
      long moved = fm.newTable();
      fm.writeGuestEntry(table, Pte.index(B, 1), Pte.make(moved, Pte.PRESENT | Pte.WRITABLE));
      long faults = fm.count(ShadowMetrics.EXITS_HIDDEN_FAULT);
      if (byFlush) {
        cpu.mmu().flushTlb();
      } else {
        cpu.mmu().loadCr3(root);
      }
      assertThat(frameOf(B)).as("by flush " + byFlush).isEqualTo(moved + FakeMachine.HOST_OFFSET)
          .isNotEqualTo(b + FakeMachine.HOST_OFFSET);
      frameOf(A);
      // B's entry was dropped and filled again; A's, still right, was kept.
      assertThat(fm.count(ShadowMetrics.EXITS_HIDDEN_FAULT) - faults).as("by flush " + byFlush).isEqualTo(1);
    }
  }

  /** invlpg of a page of an out-of-sync table syncs the table: its changed entries go, the others stay. */
  @Test
  void invlpgSyncsAnOutOfSyncTable() {
    long root = start(Map.of());
    fm.map(root, A, true);
    fm.map(root, B, true);
    frameOf(A);
    frameOf(B);
    long table = Pte.frame(fm.leaf(root, A, 2));
    mmu.guestPageTableWritten(table, Pte.index(B, 1));
    frameOf(B);
    long moved = fm.newTable();
    fm.writeGuestEntry(table, Pte.index(A, 1), Pte.make(moved, Pte.PRESENT | Pte.WRITABLE));
    cpu.mmu().invalidatePage(B);
    long faults = fm.count(ShadowMetrics.EXITS_HIDDEN_FAULT);
    assertThat(frameOf(B)).isNotEqualTo(moved + FakeMachine.HOST_OFFSET);
    assertThat(fm.count(ShadowMetrics.EXITS_HIDDEN_FAULT) - faults).isZero();
    tlb.flush();
    assertThat(frameOf(A)).isEqualTo(moved + FakeMachine.HOST_OFFSET);
    assertThat(fm.count(ShadowMetrics.EXITS_HIDDEN_FAULT) - faults).isEqualTo(1);
    // In step again: the next write to the table traps.
    long writes = fm.count(ShadowMetrics.EXITS_PTE_WRITE);
    mmu.guestPageTableWritten(table, Pte.index(A, 1));
    assertThat(fm.count(ShadowMetrics.EXITS_PTE_WRITE) - writes).isEqualTo(1);
  }

  /** invlpg of an address mapped by a large shadow entry that no longer matches its guest entry drops it. */
  @Test
  void invlpgDropsALargeEntryTheGuestChanged() {
    long root = start(Map.of());
    fm.map(root, A, true);
    long pd = Pte.frame(fm.leaf(root, A, 3));
    mapBlock(pd, A, 2048, true);
    assertThat(frameOf(A)).isEqualTo(2048 + 9 + FakeMachine.HOST_OFFSET);
    // The guest points the PDE at another block (PD writes trap unless out of sync: written directly here).
    mapBlock(pd, A, 2560, true);
    long faults = fm.count(ShadowMetrics.EXITS_HIDDEN_FAULT);
    cpu.mmu().invalidatePage(A);
    assertThat(frameOf(A)).isEqualTo(2560 + 9 + FakeMachine.HOST_OFFSET);
    assertThat(fm.count(ShadowMetrics.EXITS_HIDDEN_FAULT) - faults).isEqualTo(1);
    // An invlpg of a large entry that still matches keeps it.
    cpu.mmu().invalidatePage(A);
    frameOf(A);
    assertThat(fm.count(ShadowMetrics.EXITS_HIDDEN_FAULT) - faults).isEqualTo(1);
  }

  /** invpcid for an address space that is not running syncs that root's entry, not the running one's. */
  @Test
  void invpcidOfAnotherAddressSpaceReachesItsRoot() {
    long r1 = start(Map.of());
    long r2 = fm.newTable();
    fm.map(r1, A, true);
    fm.map(r2, A, true);
    frameOf(A);
    long table = Pte.frame(fm.leaf(r1, A, 2));
    cpu.mmu().loadCr3(r2);
    frameOf(A);
    long moved = fm.newTable();
    fm.writeGuestEntry(table, Pte.index(A, 1), Pte.make(moved, Pte.PRESENT | Pte.WRITABLE));
    cpu.mmu().invalidatePage(r1, A);
    cpu.mmu().loadCr3(r1);
    assertThat(frameOf(A)).isEqualTo(moved + FakeMachine.HOST_OFFSET);
  }

  /**
   * A 2 MiB guest page over a 2 MiB host mapping whose block holds a guest page table the
   * shadow write-protects: shadowed by a direct page of 4 KiB entries, not one large entry,
   * so that the table stays protected.
   */
  @Test
  void aLargePageOverAProtectedTableIsNotShadowedLarge() {
    long root = start(Map.of());
    fm.map(root, A, true);
    long pd = Pte.frame(fm.leaf(root, A, 3));
    frameOf(A);
    long table = Pte.frame(fm.leaf(root, A, 2));
    // A 2 MiB guest page at another address whose block is the one holding A's leaf table
    // (its page 500 is free: the access goes there).
    long block = table & ~511L;
    long other = (A & ~((1L << 21) - 1)) + (1L << 21) + (500L << 12);
    mapBlock(pd, other, block, true);
    long pages = fm.count(ShadowMetrics.SHADOW_PAGES);
    frameOf(other);
    assertThat(fm.count(ShadowMetrics.SHADOW_PAGES) - pages).isEqualTo(1);
    assertThat(largeInTlb(other)).isFalse();
  }

  /** Whether the TLB holds a 2 MiB entry for {@code gva}. */
  private boolean largeInTlb(long gva) {
    long e = tlb.lookup(gva >>> 12, AccessKind.READ);
    return e != MapTlb.MISS && org.memvirt.api.mmu.TlbEntry.isLarge(e);
  }

  /** PDE of {@code gva} in {@code pd}: a 2 MiB page at guest block {@code block}, backed by a 2 MiB host mapping or not. */
  private void mapBlock(long pd, long gva, long block, boolean hostLarge) {
    for (long g = block; g < block + 512; g++) {
      long e = P2mEntry.mapped(g + FakeMachine.HOST_OFFSET);
      fm.setP2m(g, hostLarge ? e | P2mEntry.LARGE : e);
    }
    fm.writeGuestEntry(pd, Pte.index(gva, 2), Pte.make(block, Pte.PRESENT | Pte.WRITABLE | Pte.LARGE));
  }
}
