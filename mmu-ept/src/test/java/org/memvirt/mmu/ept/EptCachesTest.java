package org.memvirt.mmu.ept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memvirt.api.AccessKind;
import org.memvirt.api.MetricNames;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.mmu.Pte;
import org.memvirt.api.mmu.TlbEntry;
import org.memvirt.testkit.FakeMachine;
import org.memvirt.testkit.FakeVcpu;
import org.memvirt.testkit.MapTlb;
import org.memvirt.testkit.MapWalkCache;

/**
 * Nested paging with its walk caches and nested TLB on: exact reference counts of warm
 * walks, what each guest TLB operation flushes, INVEPT, 2 MiB pages, and the factory.
 */
class EptCachesTest {
  private static final long GVA = 0x7f12_3456_7000L;
  /** The next 4 KiB page: the same page table, so the same upper guest entries. */
  private static final long NEXT = GVA + 4096;

  /** A TLB that remembers what was asked of it. */
  static final class RecordingTlb extends MapTlb {
    final List<String> calls = new ArrayList<>();

    @Override
    public void fill(long vpn, long entry, int kind) {
      if (TlbEntry.isLarge(entry)) {
        calls.add("fillLarge " + vpn);
      }
      super.fill(vpn, entry, kind);
    }

    @Override
    public void invalidate(long vpn) {
      calls.add("invalidate " + vpn);
      super.invalidate(vpn);
    }

    @Override
    public void invalidate(long tag, long vpn) {
      calls.add("invalidate " + tag + " " + vpn);
      super.invalidate(vpn);
    }

    @Override
    public void switchTo(long tag) {
      calls.add("switchTo " + tag);
    }

    @Override
    public void flush() {
      calls.add("flush");
      super.flush();
    }
  }

  private static FakeMachine cached() {
    return new FakeMachine(4).withWalkCaches(new MapWalkCache(64), new MapWalkCache(64),
        new MapWalkCache(64));
  }

  private static FakeVcpu running(FakeMachine fm, MapTlb tlb, long root) {
    FakeVcpu cpu = new FakeVcpu(fm, new EptMmu(fm, 4), tlb);
    cpu.mmu().loadCr3(root);
    return cpu;
  }

  private static long hpa(long gppn) {
    return (gppn + FakeMachine.HOST_OFFSET) << 12;
  }

  /**
   * The guest's tables and data lie in one 2 MiB region of guest memory, so even the first
   * walk reads the upper nested levels once: 4 nested reads for the root table, then 1 for
   * each of the 3 other tables and the data page (12 references, 12 saved of a cold 24). The
   * second page of the page table: the guest walk cache holds its page table (1 guest read),
   * the nested TLB translates that table (0 nested), the nested walk cache the data page's
   * upper levels (1): 2 references, 22 saved.
   */
  @Test
  void aWarmWalkReadsOnlyWhatTheCachesDoNotHold() {
    FakeMachine fm = cached();
    long root = fm.newTable();
    fm.map(root, GVA, true);
    long next = fm.map(root, NEXT, true);
    FakeVcpu mmu = running(fm, new RecordingTlb(), root);
    mmu.translate(GVA, AccessKind.READ);
    assertThat(fm.count(MetricNames.WALK_REFS_GUEST)).isEqualTo(4);
    assertThat(fm.count(MetricNames.WALK_REFS_NESTED)).isEqualTo(4 + 4);
    assertThat(fm.count(MetricNames.WALK_REFS_SAVED)).isEqualTo(12);
    assertThat(mmu.translate(NEXT, AccessKind.READ)).isEqualTo(hpa(next));
    assertThat(fm.count(MetricNames.WALKS)).isEqualTo(2);
    assertThat(fm.count(MetricNames.WALK_REFS)).isEqualTo(12 + 2);
    assertThat(fm.count(MetricNames.WALK_REFS_GUEST)).isEqualTo(4 + 1);
    assertThat(fm.count(MetricNames.WALK_REFS_NESTED)).isEqualTo(8 + 1);
    assertThat(fm.count(MetricNames.NATIVE_WALK_REFS)).isEqualTo(4 + 1);
    assertThat(fm.count(MetricNames.WALK_REFS_SAVED)).isEqualTo(12 + 22);
  }

  @Test
  void loadingCr3SwitchesTheTlbAndEmptiesTheGuestWalkCacheOnly() {
    FakeMachine fm = cached();
    long root = fm.newTable();
    fm.map(root, GVA, true);
    fm.map(root, NEXT, true);
    RecordingTlb tlb = new RecordingTlb();
    FakeVcpu mmu = running(fm, tlb, root);
    mmu.translate(GVA, AccessKind.READ);
    mmu.mmu().loadCr3(root);
    assertThat(tlb.calls).containsExactly("switchTo " + root, "switchTo " + root);
    // The guest walk starts at the root again (4 guest reads); every table is in the nested
    // TLB (0 nested), the data page's upper nested levels in the nested walk cache (1).
    mmu.translate(NEXT, AccessKind.READ);
    assertThat(fm.count(MetricNames.WALK_REFS_GUEST)).isEqualTo(4 + 4);
    assertThat(fm.count(MetricNames.WALK_REFS_NESTED)).isEqualTo(8 + 1);
  }

  @Test
  void invalidatingAPageDropsItsTranslationAndTheGuestWalkCache() {
    FakeMachine fm = cached();
    long root = fm.newTable();
    fm.map(root, GVA, true);
    RecordingTlb tlb = new RecordingTlb();
    FakeVcpu mmu = running(fm, tlb, root);
    mmu.translate(GVA, AccessKind.READ);
    mmu.mmu().invalidatePage(GVA);
    assertThat(tlb.calls).contains("invalidate " + (GVA >>> 12));
    mmu.translate(GVA, AccessKind.READ);
    // Walked again from the root: 4 more guest reads, every nested one in the nested TLB.
    assertThat(fm.count(MetricNames.WALKS)).isEqualTo(2);
    assertThat(fm.count(MetricNames.WALK_REFS_GUEST)).isEqualTo(8);
    assertThat(fm.count(MetricNames.WALK_REFS_NESTED)).isEqualTo(8);
    // A tagged invalidation (another process's page) leaves the guest walk cache alone.
    mmu.mmu().invalidatePage(77, NEXT);
    assertThat(tlb.calls).contains("invalidate 77 " + (NEXT >>> 12));
  }

  @Test
  void aTlbFlushEmptiesTheTlbAndTheGuestWalkCache() {
    FakeMachine fm = cached();
    long root = fm.newTable();
    fm.map(root, GVA, true);
    RecordingTlb tlb = new RecordingTlb();
    FakeVcpu mmu = running(fm, tlb, root);
    mmu.translate(GVA, AccessKind.READ);
    mmu.mmu().flushTlb();
    assertThat(tlb.calls).containsSubsequence("flush");
    mmu.translate(GVA, AccessKind.READ);
    assertThat(fm.count(MetricNames.WALKS)).isEqualTo(2);
    assertThat(fm.count(MetricNames.WALK_REFS_GUEST)).isEqualTo(8);
    assertThat(fm.count(MetricNames.WALK_REFS_NESTED)).isEqualTo(8);
  }

  /** A P2M change: INVEPT drops the nested TLB and walk cache too, so the next walk is cold again. */
  @Test
  void inveptMakesTheNextWalkColdAgain() {
    FakeMachine fm = cached();
    long root = fm.newTable();
    fm.map(root, GVA, true);
    RecordingTlb tlb = new RecordingTlb();
    EptMmu ept = new EptMmu(fm, 4);
    FakeVcpu mmu = new FakeVcpu(fm, ept, tlb);
    mmu.mmu().loadCr3(root);
    mmu.translate(GVA, AccessKind.READ);
    ept.p2mChanged(root);
    assertThat(tlb.calls).contains("flush");
    assertThat(fm.count("invept")).isEqualTo(1);
    mmu.translate(GVA, AccessKind.READ);
    // The same 12 references as the first walk: nothing was left in any cache.
    assertThat(fm.count(MetricNames.WALK_REFS)).isEqualTo(12 + 12);
  }

  /** A page table the host has not backed: the walk stops there with a violation, and the access is retried. */
  @Test
  void anUnbackedPageTableIsAViolationInTheMiddleOfTheWalk() {
    FakeMachine fm = new FakeMachine(4);
    long root = fm.newTable();
    long data = fm.map(root, GVA, true);
    long pageTable = Pte.frame(fm.leaf(root, GVA, 2));
    fm.setP2m(pageTable, P2mEntry.of(P2mEntry.UNBACKED, 0, 0));
    FakeVcpu mmu = running(fm, new MapTlb(), root);
    assertThat(mmu.translate(GVA, AccessKind.READ)).isEqualTo(hpa(data));
    assertThat(fm.count(MetricNames.EPT_VIOLATIONS)).isEqualTo(1);
    assertThat(fm.count(MetricNames.EXITS)).isEqualTo(1);
    assertThat(fm.resolved()).isEqualTo(1);
    // The aborted walk read 3 guest levels (and 4 nested for each, and 4 for the page table),
    // then the retry walked whole: 24.
    assertThat(fm.count(MetricNames.WALK_REFS_GUEST)).isEqualTo(3 + 4);
    assertThat(fm.count(MetricNames.WALK_REFS_NESTED)).isEqualTo(16 + 20);
  }

  /**
   * A 2 MiB guest page: the walk ends at level 2 (3 guest reads). Backed by a 2 MiB host
   * mapping, the TLB gets a large entry; by 4 KiB frames, a small one.
   */
  @Test
  void aLargeGuestPageFillsALargeEntryOnlyOverALargeHostMapping() {
    for (boolean hostLarge : new boolean[] {true, false}) {
      FakeMachine fm = new FakeMachine(4);
      long root = fm.newTable();
      fm.map(root, GVA, true);
      long pd = Pte.frame(fm.leaf(root, GVA, 3));
      long block = 2048;
      for (long g = block; g < block + 512; g++) {
        long e = P2mEntry.mapped(g + FakeMachine.HOST_OFFSET);
        fm.setP2m(g, hostLarge ? e | P2mEntry.LARGE : e);
      }
      fm.writeGuestEntry(pd, Pte.index(GVA, 2), Pte.make(block, Pte.PRESENT | Pte.WRITABLE | Pte.LARGE));
      RecordingTlb tlb = new RecordingTlb();
      FakeVcpu mmu = running(fm, tlb, root);
      long offset = (GVA >>> 12) & 511;
      assertThat(mmu.translate(GVA, AccessKind.READ)).isEqualTo(hpa(block + offset));
      assertThat(fm.count(MetricNames.WALK_REFS_GUEST)).isEqualTo(3);
      // Each of the 3 tables takes 4 nested reads; the 2 MiB host mapping ends the data's at level 2.
      assertThat(fm.count(MetricNames.WALK_REFS_NESTED)).isEqualTo(12 + (hostLarge ? 3 : 4));
      assertThat(tlb.calls.stream().anyMatch(c -> c.startsWith("fillLarge"))).isEqualTo(hostLarge);
      assertThat(fm.leaf(root, GVA, 2) & Pte.ACCESSED).isEqualTo(Pte.ACCESSED);
    }
  }

  @Test
  void theFactoryNamesPricesAndChecksItsSettings() {
    EptMmuFactory f = new EptMmuFactory();
    assertThat(f.name()).isEqualTo("ept");
    assertThat(f.description()).contains("nested paging");
    assertThat(f.costs()).singleElement().satisfies(c -> {
      assertThat(c.counter()).isEqualTo(MetricNames.EPT_VIOLATIONS);
      assertThat(c.defaultCycles()).isEqualTo(2000);
    });
    assertThat(f.metrics()).extracting(m -> m.name()).containsExactly("invept");
    assertThat(f.settings()).extracting(s -> s.key()).containsExactly("nested_levels");
    FakeMachine five = new FakeMachine(4).withSettings(Map.of("nested_levels", 5));
    long root = five.newTable();
    five.map(root, GVA, true);
    FakeVcpu mmu = new FakeVcpu(five, f.create(five));
    mmu.mmu().loadCr3(root);
    mmu.translate(GVA, AccessKind.READ);
    assertThat(five.count(MetricNames.WALK_REFS)).isEqualTo(4 + 5 * 5);
    assertThatThrownBy(() -> f.create(new FakeMachine(4).withSettings(Map.of("nested_levels", 6))))
        .hasMessage("nested_levels: expected 4 or 5");
  }
}
