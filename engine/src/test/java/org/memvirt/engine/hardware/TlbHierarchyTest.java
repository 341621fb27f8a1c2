package org.memvirt.engine.hardware;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.memvirt.api.AccessKind;
import org.memvirt.api.MetricNames;
import org.memvirt.api.mmu.TlbEntry;

class TlbHierarchyTest {
  private final MetricScope metrics = new MetricScope();
  private final TlbHierarchy tlb = new TlbHierarchy(new SetAssociativeTlb(2, 1), new SetAssociativeTlb(2, 1),
      new SetAssociativeTlb(8, 2), false, metrics);

  @Test
  void l1MissGoesToL2AndAnL2HitFillsL1() {
    assertThat(tlb.lookup(5, AccessKind.READ)).isEqualTo(TlbEntry.MISS);
    tlb.fill(5, 52, AccessKind.READ);
    assertThat(tlb.lookup(5, AccessKind.READ)).isEqualTo(52); // L1d hit
    assertThat(tlb.lookup(5, AccessKind.FETCH)).isEqualTo(52); // L1i miss, L2 hit
    assertThat(tlb.lookup(5, AccessKind.FETCH)).isEqualTo(52); // L1i hit now
    assertThat(metrics.get(MetricNames.TLB_L1D_MISSES)).isEqualTo(1);
    assertThat(metrics.get(MetricNames.TLB_L1I_MISSES)).isEqualTo(1);
    assertThat(metrics.get(MetricNames.TLB_L2_HITS)).isEqualTo(1);
    assertThat(metrics.get(MetricNames.TLB_L2_MISSES)).isEqualTo(1);
  }

  @Test
  void aLargeEntryServesEveryPageOfIts2MibPageAndOnlyThose() {
    long entry = TlbEntry.large(1024 + 7, 5000 + 7, true);
    tlb.fill(1024 + 7, entry, AccessKind.READ);
    assertThat(tlb.lookup(1024, AccessKind.READ)).isEqualTo(entry);
    assertThat(TlbEntry.hostFrame(tlb.lookup(1024 + 511, AccessKind.READ), 1024 + 511)).isEqualTo(5000 + 511);
    assertThat(tlb.lookup(1024 + 512, AccessKind.READ)).isEqualTo(TlbEntry.MISS);
    assertThat(tlb.l1d().contains(0, 1024 + 7)).isFalse();
    // An instruction fetch finds it in the L2 (one L1i miss, one L2 hit).
    assertThat(tlb.lookup(1024 + 3, AccessKind.FETCH)).isEqualTo(entry);
    assertThat(metrics.get(MetricNames.TLB_L2_HITS)).isEqualTo(1);
    tlb.invalidate(1024 + 200);
    assertThat(tlb.lookup(1024 + 7, AccessKind.READ)).isEqualTo(TlbEntry.MISS);
  }

  @Test
  void l1EvictionStillHitsInL2() {
    tlb.fill(0, 8, AccessKind.READ);
    tlb.fill(2, 12, AccessKind.READ); // same L1d set (2 sets, 1 way): evicts 0 from L1d
    assertThat(tlb.l1d().contains(0, 0)).isFalse();
    assertThat(tlb.lookup(0, AccessKind.WRITE)).isEqualTo(8);
    assertThat(metrics.get(MetricNames.TLB_L2_HITS)).isEqualTo(1);
    tlb.flush();
    assertThat(tlb.lookup(0, AccessKind.READ)).isEqualTo(TlbEntry.MISS);
    assertThat(metrics.get(MetricNames.TLB_FLUSH)).isEqualTo(1);
  }

  @Test
  void untaggedSwitchesFlushTaggedOnesKeepEntries() {
    tlb.switchTo(1);
    tlb.fill(5, 52, AccessKind.READ);
    tlb.switchTo(2);
    assertThat(tlb.lookup(5, AccessKind.READ)).isEqualTo(TlbEntry.MISS);
    assertThat(metrics.get(MetricNames.TLB_FLUSH)).isEqualTo(2);

    MetricScope m = new MetricScope();
    TlbHierarchy tagged = new TlbHierarchy(new SetAssociativeTlb(2, 1), new SetAssociativeTlb(2, 1),
        new SetAssociativeTlb(8, 2), true, m);
    tagged.switchTo(1);
    tagged.fill(5, 52, AccessKind.READ);
    tagged.switchTo(2);
    assertThat(tagged.lookup(5, AccessKind.READ)).isEqualTo(TlbEntry.MISS);
    tagged.switchTo(1);
    assertThat(tagged.lookup(5, AccessKind.READ)).isEqualTo(52);
    tagged.invalidate(1, 5);
    assertThat(tagged.lookup(5, AccessKind.READ)).isEqualTo(TlbEntry.MISS);
    assertThat(m.get(MetricNames.TLB_FLUSH)).isZero();
  }

  /** Checks each of the five arrays directly: a lookup through the hierarchy would refill one level from another. */
  private static void assertHolds(SetAssociativeTlb level, long key, boolean holds) {
    assertThat(level.contains(0, key)).isEqualTo(holds);
  }

  @Test
  void invalidatingAndFlushingEmptyEveryLevelAndEverySize() {
    SetAssociativeTlb l1i = new SetAssociativeTlb(4, 1);
    SetAssociativeTlb l1d = new SetAssociativeTlb(4, 1);
    SetAssociativeTlb l1iLarge = new SetAssociativeTlb(4, 1);
    SetAssociativeTlb l1dLarge = new SetAssociativeTlb(4, 1);
    SetAssociativeTlb l2 = new SetAssociativeTlb(16, 2);
    TlbHierarchy t = new TlbHierarchy(l1i, l1d, l1iLarge, l1dLarge, l2, false, new MetricScope());
    long largeKey = 1L << 62;
    for (boolean flushAll : new boolean[] {false, true}) {
      // Page 1024 small (data and code), and the 2 MiB page of 2048 large (data and code).
      t.fill(1024, TlbEntry.small(1, true), AccessKind.READ);
      t.fill(1024, TlbEntry.small(1, true), AccessKind.FETCH);
      t.fill(2048, TlbEntry.large(2048, 512, true), AccessKind.READ);
      t.fill(2048, TlbEntry.large(2048, 512, true), AccessKind.FETCH);
      assertHolds(l1d, 1024, true);
      assertHolds(l1i, 1024, true);
      assertHolds(l1dLarge, 4, true);
      assertHolds(l1iLarge, 4, true);
      assertHolds(l2, 1024, true);
      assertHolds(l2, 4 | largeKey, true);
      if (flushAll) {
        t.flush();
      } else {
        t.invalidate(1024);
        t.invalidate(2048 + 100);
      }
      assertHolds(l1d, 1024, false);
      assertHolds(l1i, 1024, false);
      assertHolds(l1dLarge, 4, false);
      assertHolds(l1iLarge, 4, false);
      assertHolds(l2, 1024, false);
      assertHolds(l2, 4 | largeKey, false);
    }
  }

  @Test
  void anEntryForHostFrameZeroIsAnEntryLikeAnyOther() {
    long zero = TlbEntry.small(0, false);
    assertThat(zero).isZero();
    tlb.fill(3, zero, AccessKind.READ);
    assertThat(tlb.lookup(3, AccessKind.READ)).isZero();
    assertThat(tlb.lookup(3, AccessKind.FETCH)).isZero(); // from the L2
    long largeZero = TlbEntry.large(512, 0, false);
    tlb.fill(512, largeZero, AccessKind.READ);
    assertThat(tlb.lookup(512 + 9, AccessKind.READ)).isEqualTo(largeZero);
    assertThat(tlb.lookup(512 + 9, AccessKind.FETCH)).isEqualTo(largeZero); // the large L2 entry
    assertThat(metrics.get(MetricNames.TLB_L2_HITS)).isEqualTo(2);
  }
}
