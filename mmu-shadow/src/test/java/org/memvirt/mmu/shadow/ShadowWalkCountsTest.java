package org.memvirt.mmu.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memvirt.api.AccessKind;
import org.memvirt.api.MetricNames;
import org.memvirt.api.mmu.WalkResult;

/**
 * Every reference and exit of the shadow walk counted exactly: cold walks, walks cut short
 * by the walk cache, the walk that ends in a hidden fault, a fault reflected to the guest,
 * and what CR3 loads, full flushes and invlpg do to the TLB and the walk cache.
 */
class ShadowWalkCountsTest extends ShadowRig {
  private static final long A = 0x7f00_0000_0000L;
  private static final long B = A + 4096;
  /** Same PML4 and PDPT entries as A, a PD entry the guest never filled. */
  private static final long UNMAPPED = A + (5L << 21);

  private long count(String name) {
    return fm.count(name);
  }

  @Test
  void aColdWalkFaultsOnceThenWalksAllFourLevels() {
    long root = boot(Map.of());
    fm.map(root, A, true);
    cpu.translate(A, AccessKind.READ);
    // One reference to find the root's entry missing, then four on the re-executed walk.
    assertThat(count(MetricNames.WALKS)).isEqualTo(2);
    assertThat(count(MetricNames.RETRIES)).isEqualTo(1);
    assertThat(count(MetricNames.WALK_REFS)).isEqualTo(5);
    assertThat(count(MetricNames.NATIVE_WALK_REFS)).isEqualTo(4);
    assertThat(count(MetricNames.WALK_REFS_SAVED)).isZero();
    assertThat(count(MetricNames.EXITS)).isEqualTo(2);
    assertThat(count(ShadowMetrics.EXITS_CR3)).isEqualTo(1);
    cpu.translate(A, AccessKind.READ);
    assertThat(count(MetricNames.WALKS)).as("a TLB hit walks nothing").isEqualTo(2);
  }

  @Test
  void theWalkCacheSkipsTheUpperLevels() {
    long root = boot(Map.of(), true);
    fm.map(root, A, true);
    fm.map(root, B, true);
    cpu.translate(A, AccessKind.READ);
    long refs = count(MetricNames.WALK_REFS);
    long exits = count(MetricNames.EXITS);
    // B shares A's page table: the cached PD entry leads straight to it, where B is missing.
    cpu.translate(B, AccessKind.READ);
    assertThat(count(MetricNames.WALK_REFS) - refs).isEqualTo(2);
    assertThat(count(MetricNames.EXITS) - exits).isEqualTo(1);
    assertThat(count(MetricNames.WALK_REFS_SAVED)).isEqualTo(3);
    assertThat(count(MetricNames.NATIVE_WALK_REFS)).isEqualTo(5);
    assertThat(walkCaches.hits()).isEqualTo(2);
  }

  @Test
  void aFaultTheGuestMustTakeCountsTheGuestLevelsANativeWalkReads() {
    long root = boot(Map.of());
    fm.map(root, A, true);
    cpu.translate(A, AccessKind.READ);
    long refs = count(MetricNames.WALK_REFS);
    long nativeRefs = count(MetricNames.NATIVE_WALK_REFS);
    assertThat(cpu.translate(UNMAPPED, AccessKind.READ)).isEqualTo(WalkResult.GUEST_FAULT);
    // The shadow walk finds the PD entry missing after 3 references; so would a native one.
    assertThat(count(MetricNames.WALK_REFS) - refs).isEqualTo(3);
    assertThat(count(MetricNames.NATIVE_WALK_REFS) - nativeRefs).isEqualTo(3);
    assertThat(count(ShadowMetrics.EXITS_HIDDEN_FAULT)).isEqualTo(2);
  }

  @Test
  void aCr3LoadSwitchesTheTlbAndEmptiesTheWalkCache() {
    long root = boot(Map.of(), true);
    fm.map(root, A, true);
    cpu.translate(A, AccessKind.READ);
    int flushes = tlb.flushes();
    cpu.mmu().loadCr3(root);
    assertThat(tlb.flushes()).as("an untagged TLB is flushed on a switch").isEqualTo(flushes + 1);
    assertThat(count(ShadowMetrics.EXITS_CR3)).isEqualTo(2);
    assertThat(count(ShadowMetrics.SHADOW_ROOTS_REBUILT)).as("the cached root is reused").isEqualTo(1);
    long refs = count(MetricNames.WALK_REFS);
    cpu.translate(A, AccessKind.READ);
    assertThat(count(MetricNames.WALK_REFS) - refs).as("no walk-cache entry survived").isEqualTo(4);
  }

  @Test
  void aFullFlushIsAnExitThatEmptiesTheTlbAndTheWalkCache() {
    long root = boot(Map.of(), true);
    fm.map(root, A, true);
    cpu.translate(A, AccessKind.READ);
    long exits = count(MetricNames.EXITS);
    int flushes = tlb.flushes();
    cpu.mmu().flushTlb();
    assertThat(count(MetricNames.EXITS) - exits).isEqualTo(1);
    assertThat(count(ShadowMetrics.EXITS_CR3)).isEqualTo(2);
    assertThat(tlb.flushes()).isEqualTo(flushes + 1);
    long refs = count(MetricNames.WALK_REFS);
    long faults = count(ShadowMetrics.EXITS_HIDDEN_FAULT);
    cpu.translate(A, AccessKind.READ);
    assertThat(count(MetricNames.WALK_REFS) - refs).isEqualTo(4);
    assertThat(count(ShadowMetrics.EXITS_HIDDEN_FAULT)).as("the shadow itself survives a flush").isEqualTo(faults);
  }

  @Test
  void invlpgDropsThePageAndTheWalkCacheButKeepsAValidShadowEntry() {
    long root = boot(Map.of(), true);
    fm.map(root, A, true);
    fm.map(root, B, true);
    cpu.translate(A, AccessKind.READ);
    cpu.translate(B, AccessKind.READ);
    long faults = count(ShadowMetrics.EXITS_HIDDEN_FAULT);
    cpu.mmu().invalidatePage(A);
    assertThat(count(ShadowMetrics.EXITS_INVLPG)).isEqualTo(1);
    assertThat(tlb.lookup(A >>> 12, AccessKind.READ)).isEqualTo(org.memvirt.testkit.MapTlb.MISS);
    assertThat(tlb.lookup(B >>> 12, AccessKind.READ)).isNotEqualTo(org.memvirt.testkit.MapTlb.MISS);
    long refs = count(MetricNames.WALK_REFS);
    cpu.translate(A, AccessKind.READ);
    assertThat(count(MetricNames.WALK_REFS) - refs).isEqualTo(4);
    assertThat(count(ShadowMetrics.EXITS_HIDDEN_FAULT)).isEqualTo(faults);
    // By address space (INVPCID): the same exit, for a root that need not be running.
    cpu.mmu().invalidatePage(root, B);
    assertThat(count(ShadowMetrics.EXITS_INVLPG)).isEqualTo(2);
    cpu.mmu().invalidatePage(root + 100, B);
    assertThat(count(ShadowMetrics.EXITS_INVLPG)).isEqualTo(3);
    cpu.translate(B, AccessKind.READ);
    assertThat(count(ShadowMetrics.EXITS_HIDDEN_FAULT)).isEqualTo(faults);
  }
}
