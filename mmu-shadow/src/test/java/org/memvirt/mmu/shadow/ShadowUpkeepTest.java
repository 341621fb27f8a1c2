package org.memvirt.mmu.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memvirt.api.AccessKind;
import org.memvirt.api.MetricInfo;
import org.memvirt.api.MetricNames;
import org.memvirt.api.SettingInfo;
import org.memvirt.api.mmu.Pte;
import org.memvirt.testkit.FakeMachine;
import org.memvirt.testkit.MapTlb;

/**
 * Keeping the shadow in step with the guest: dirty-bit emulation, write flooding, a table
 * page reused as data, invlpg, the shadow-page gauge, and the factory's settings.
 */
class ShadowUpkeepTest extends ShadowRig {
  private static final long A = 0x7f00_0000_0000L;
  private static final long B = A + 4096;


  /** A read fills a read-only shadow entry; the first write is a hidden fault that sets the guest's dirty bit. */
  @Test
  void theFirstWriteAfterAReadIsAHiddenFaultThatSetsTheDirtyBit() {
    long root = boot(Map.of());
    long data = fm.map(root, A, true);
    cpu.translate(A, AccessKind.READ);
    assertThat(fm.leaf(root, A, 1) & Pte.DIRTY).isZero();
    assertThat(fm.count(ShadowMetrics.EXITS_HIDDEN_FAULT)).isEqualTo(1);
    assertThat(cpu.translate(A, AccessKind.WRITE) >>> 12).isEqualTo(data + FakeMachine.HOST_OFFSET);
    assertThat(fm.count(ShadowMetrics.EXITS_HIDDEN_FAULT)).isEqualTo(2);
    assertThat(fm.leaf(root, A, 1) & (Pte.DIRTY | Pte.ACCESSED)).isEqualTo(Pte.DIRTY | Pte.ACCESSED);
    // Now writable in the shadow: a second write after a TLB flush walks without an exit.
    tlb.flush();
    cpu.translate(A, AccessKind.WRITE);
    assertThat(fm.count(ShadowMetrics.EXITS_HIDDEN_FAULT)).isEqualTo(2);
  }

  /** One shadow page per guest table a walk went through: the root, PDPT, PD and PT. */
  @Test
  void theGaugeCountsShadowPages() {
    long root = boot(Map.of());
    fm.map(root, A, true);
    fm.map(root, B, true);
    cpu.translate(A, AccessKind.READ);
    cpu.translate(B, AccessKind.READ);
    assertThat(fm.count(ShadowMetrics.SHADOW_PAGES)).isEqualTo(4);
    assertThat(fm.count(ShadowMetrics.EXITS_HIDDEN_FAULT)).isEqualTo(2);
  }

  /** Without unsync, trapped writes to a table with no use in between drop its shadow at the threshold (KVM's flooding). */
  @Test
  void writesWithoutUseFloodTheShadowPageAway() {
    long root = boot(Map.of("unsync", "false", "flood_threshold", "3"));
    fm.map(root, A, true);
    cpu.translate(A, AccessKind.READ);
    long leafTable = Pte.frame(fm.leaf(root, A, 2));
    for (int i = 0; i < 2; i++) {
      mmu.guestPageTableWritten(leafTable, 100 + i);
    }
    assertThat(fm.count(ShadowMetrics.MMU_FLOODED)).isZero();
    assertThat(fm.count(ShadowMetrics.SHADOW_PAGES)).isEqualTo(4);
    mmu.guestPageTableWritten(leafTable, 102);
    assertThat(fm.count(ShadowMetrics.MMU_FLOODED)).isEqualTo(1);
    assertThat(fm.count(ShadowMetrics.EXITS_PTE_WRITE)).isEqualTo(3);
    assertThat(fm.count(ShadowMetrics.MMU_PTE_WRITE)).isEqualTo(3);
    assertThat(fm.count(ShadowMetrics.SHADOW_PAGES)).isEqualTo(3);
    assertThat(fm.count(ShadowMetrics.MMU_SHADOW_ZAPPED)).isEqualTo(1);
    // A write to a table that is no longer shadowed does not trap.
    mmu.guestPageTableWritten(leafTable, 103);
    assertThat(fm.count(ShadowMetrics.EXITS_PTE_WRITE)).isEqualTo(3);
    // The next access builds it again.
    tlb.flush();
    cpu.translate(A, AccessKind.READ);
    assertThat(fm.count(ShadowMetrics.SHADOW_PAGES)).isEqualTo(4);
  }

  /** A guest table page written as a whole (reused as data): its shadow goes, at the cost of one exit. */
  @Test
  void aTablePageReusedAsDataLosesItsShadow() {
    long root = boot(Map.of("unsync", "false"));
    fm.map(root, A, true);
    cpu.translate(A, AccessKind.READ);
    long leafTable = Pte.frame(fm.leaf(root, A, 2));
    long exits = fm.count(MetricNames.EXITS);
    mmu.guestPageWritten(leafTable);
    assertThat(fm.count(MetricNames.EXITS) - exits).isEqualTo(1);
    assertThat(fm.count(ShadowMetrics.SHADOW_PAGES)).isEqualTo(3);
    // A page that is no table costs nothing.
    mmu.guestPageWritten(3000);
    assertThat(fm.count(MetricNames.EXITS) - exits).isEqualTo(1);
  }

  /** An unsync leaf page takes no exits for its writes and is synced when the guest flushes. */
  @Test
  void anUnsyncPageIsSyncedAtTheFlush() {
    long root = boot(Map.of());
    fm.map(root, A, true);
    cpu.translate(A, AccessKind.READ);
    long leafTable = Pte.frame(fm.leaf(root, A, 2));
    long data = fm.map(root, B, true);
    mmu.guestPageTableWritten(leafTable, Pte.index(B, 1));
    assertThat(fm.count(ShadowMetrics.MMU_UNSYNC)).isEqualTo(1);
    for (int i = 0; i < 5; i++) {
      mmu.guestPageTableWritten(leafTable, Pte.index(B, 1));
    }
    assertThat(fm.count(ShadowMetrics.EXITS_PTE_WRITE)).isEqualTo(1);
    assertThat(fm.count(ShadowMetrics.MMU_FLOODED)).isZero();
    cpu.mmu().flushTlb();
    assertThat(cpu.translate(B, AccessKind.READ) >>> 12).isEqualTo(data + FakeMachine.HOST_OFFSET);
  }

  @Test
  void invlpgIsAnExitThatDropsTheTranslation() {
    long root = boot(Map.of());
    fm.map(root, A, true);
    cpu.translate(A, AccessKind.READ);
    assertThat(tlb.lookup(A >>> 12, AccessKind.READ)).isNotEqualTo(MapTlb.MISS);
    long exits = fm.count(MetricNames.EXITS);
    cpu.mmu().invalidatePage(A);
    assertThat(fm.count(ShadowMetrics.EXITS_INVLPG)).isEqualTo(1);
    assertThat(fm.count(MetricNames.EXITS) - exits).isEqualTo(1);
    assertThat(tlb.lookup(A >>> 12, AccessKind.READ)).isEqualTo(MapTlb.MISS);
  }

  /** Maps {@code gva} with a 2 MiB guest page at guest pages 2048..2559, each backed (as one 2 MiB host mapping or not). */
  private long mapLarge(long root, long gva, boolean hostLarge) {
    fm.map(root, gva, true);
    long pd = Pte.frame(fm.leaf(root, gva, 3));
    long block = 2048;
    for (long g = block; g < block + 512; g++) {
      long e = org.memvirt.api.memory.P2mEntry.mapped(g + FakeMachine.HOST_OFFSET);
      fm.setP2m(g, hostLarge ? e | org.memvirt.api.memory.P2mEntry.LARGE : e);
    }
    fm.writeGuestEntry(pd, Pte.index(gva, 2), Pte.make(block, Pte.PRESENT | Pte.WRITABLE | Pte.LARGE));
    return block;
  }

  /**
   * A 2 MiB guest page over a 2 MiB host mapping gets one large shadow entry (a 2 MiB TLB
   * entry, 3-level native walks); over 4 KiB frames, a direct shadow page of 4 KiB entries,
   * one filled per hidden fault.
   */
  @Test
  void aLargeGuestPageIsShadowedLargeOnlyOverALargeHostMapping() {
    for (boolean hostLarge : new boolean[] {true, false}) {
      long root = boot(Map.of());
      long block = mapLarge(root, A, hostLarge);
      assertThat(cpu.translate(A + 5 * 4096, AccessKind.READ) >>> 12)
          .isEqualTo(block + 5 + FakeMachine.HOST_OFFSET);
      assertThat(fm.leaf(root, A, 2) & Pte.ACCESSED).isEqualTo(Pte.ACCESSED);
      long faults = fm.count(ShadowMetrics.EXITS_HIDDEN_FAULT);
      tlb.flush();
      long refs = fm.count(MetricNames.WALK_REFS);
      cpu.translate(A + 9 * 4096, AccessKind.READ);
      // Large: the shadow entry covers the page already, walked natively in 3 levels. Small:
      // another hidden fault fills the next 4 KiB entry.
      assertThat(fm.count(ShadowMetrics.EXITS_HIDDEN_FAULT) - faults).as("host large " + hostLarge)
          .isEqualTo(hostLarge ? 0 : 1);
      if (hostLarge) {
        assertThat(fm.count(MetricNames.WALK_REFS) - refs).isEqualTo(3);
      }
      // Root, PDPT and PD shadow pages, plus the direct page for 4 KiB frames.
      assertThat(fm.count(ShadowMetrics.SHADOW_PAGES)).isEqualTo(hostLarge ? 3 : 4);
    }
  }

  /** A P2M change inside a 2 MiB block drops the large shadow entry over it: the next access refills it. */
  @Test
  void aP2mChangeInsideALargePageDropsTheLargeEntry() {
    long root = boot(Map.of());
    long block = mapLarge(root, A, true);
    cpu.translate(A, AccessKind.READ);
    long faults = fm.count(ShadowMetrics.EXITS_HIDDEN_FAULT);
    // The host breaks the mapping up and moves page 7 elsewhere.
    for (long g = block; g < block + 512; g++) {
      fm.setP2m(g, org.memvirt.api.memory.P2mEntry.mapped(g + FakeMachine.HOST_OFFSET));
    }
    fm.setP2m(block + 7, org.memvirt.api.memory.P2mEntry.mapped(99));
    mmu.p2mChanged(block + 7);
    tlb.flush();
    assertThat(cpu.translate(A + 7 * 4096, AccessKind.READ) >>> 12).isEqualTo(99);
    assertThat(fm.count(ShadowMetrics.EXITS_HIDDEN_FAULT) - faults).isEqualTo(1);
  }

  /** A guest page mapped at two addresses: a P2M change drops both shadow entries. */
  @Test
  void aP2mChangeDropsEveryShadowEntryOfAPageMappedTwice() {
    long root = boot(Map.of());
    long data = fm.map(root, A, true);
    long other = fm.map(root, B, true);
    long table = Pte.frame(fm.leaf(root, B, 2));
    // B maps the same guest page as A.
    fm.writeGuestEntry(table, Pte.index(B, 1), Pte.make(data, Pte.PRESENT | Pte.WRITABLE));
    cpu.translate(A, AccessKind.READ);
    cpu.translate(B, AccessKind.READ);
    assertThat(other).isNotEqualTo(data);
    long faults = fm.count(ShadowMetrics.EXITS_HIDDEN_FAULT);
    fm.setP2m(data, org.memvirt.api.memory.P2mEntry.mapped(88));
    mmu.p2mChanged(data);
    tlb.flush();
    assertThat(cpu.translate(A, AccessKind.READ) >>> 12).isEqualTo(88);
    assertThat(cpu.translate(B, AccessKind.READ) >>> 12).isEqualTo(88);
    assertThat(fm.count(ShadowMetrics.EXITS_HIDDEN_FAULT) - faults).isEqualTo(2);
  }

  @Test
  void aFaultOfTheGuestKernelIsAHiddenFault() {
    boot(Map.of());
    mmu.guestKernelFault(5, true);
    assertThat(fm.count(ShadowMetrics.EXITS_HIDDEN_FAULT)).isEqualTo(1);
  }

  @Test
  void theFactoryDocumentsAndChecksItsSettings() {
    ShadowMmuFactory f = new ShadowMmuFactory();
    assertThat(f.name()).isEqualTo("shadow");
    assertThat(f.description()).startsWith("shadow paging");
    assertThat(f.metrics()).extracting(MetricInfo::name).contains(ShadowMetrics.EXITS_CR3, ShadowMetrics.SHADOW_PAGES,
        ShadowMetrics.MMU_FLOODED).hasSize(10);
    assertThat(f.settings()).extracting(SettingInfo::key).containsExactly("root_cache", "unsync", "flood_threshold");
    assertThat(f.costs()).extracting(c -> c.defaultCycles()).containsExactly(1500L, 800L, 300L);
    assertThatThrownBy(() -> f.create(new FakeMachine(4).withSettings(Map.of("root_cache", "-1"))))
        .hasMessageContaining("root_cache");
    assertThatThrownBy(() -> f.create(new FakeMachine(4).withSettings(Map.of("root_cache", "1025"))))
        .hasMessage("root_cache: expected a number of cached shadow roots from 0 to 1024");
    assertThatThrownBy(() -> f.create(new FakeMachine(4).withSettings(Map.of("flood_threshold", "0"))))
        .hasMessage("flood_threshold: expected a positive number of writes, at most 2147483647");
    assertThat(f.create(new FakeMachine(4).withSettings(Map.of("root_cache", "1024")))).isNotNull();
  }
}
