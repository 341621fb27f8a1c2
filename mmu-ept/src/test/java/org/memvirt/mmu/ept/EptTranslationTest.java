package org.memvirt.mmu.ept;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.memvirt.api.AccessKind;
import org.memvirt.api.MetricNames;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.mmu.Pte;
import org.memvirt.api.mmu.WalkResult;
import org.memvirt.testkit.FakeMachine;
import org.memvirt.testkit.FakeVcpu;
import org.memvirt.testkit.MapTlb;

class EptTranslationTest {
  private static final long GVA = 0x7f12_3456_7000L + 0x10;

  /** One vCPU, running the process whose root table is {@code root}. */
  private static FakeVcpu running(FakeMachine fm, int nestedLevels, long root) {
    FakeVcpu cpu = new FakeVcpu(fm, new EptMmu(fm, nestedLevels));
    cpu.mmu().loadCr3(root);
    return cpu;
  }

  @ParameterizedTest(name = "{0}/{1}: {2} references")
  @CsvSource({"4, 4, 24", "5, 5, 35", "4, 5, 29", "3, 3, 15"})
  void coldWalk(int n, int m, int refs) {
    FakeMachine fm = new FakeMachine(n);
    long root = fm.newTable();
    long data = fm.map(root, GVA, true);
    FakeVcpu mmu = running(fm, m, root);
    assertThat(mmu.translate(GVA, AccessKind.READ)).isEqualTo(((data + 1000) << 12) | 0x10);
    assertThat(fm.count(MetricNames.WALK_REFS)).isEqualTo(refs);
    assertThat(fm.count(MetricNames.WALK_REFS_GUEST)).isEqualTo(n);
    assertThat(fm.count(MetricNames.WALK_REFS_NESTED)).isEqualTo((long) (n + 1) * m);
    assertThat(fm.count(MetricNames.NATIVE_WALK_REFS)).isEqualTo(n);
    assertThat(fm.count(MetricNames.EXITS)).isZero();
    // Hit: nothing more.
    mmu.translate(GVA, AccessKind.READ);
    assertThat(fm.count(MetricNames.WALKS)).isEqualTo(1);
  }

  @Test
  void aMissingGuestEntryIsAGuestFaultAfterAPartialWalk() {
    FakeMachine fm = new FakeMachine(4);
    long root = fm.newTable();
    fm.map(root, GVA, true);
    FakeVcpu mmu = running(fm, 4, root);
    long other = GVA + (1L << 30); // the next GiB: same PML4 entry, another PDPT entry
    assertThat(mmu.translate(other, AccessKind.READ)).isEqualTo(WalkResult.GUEST_FAULT);
    // The PML4 entry is present, the PDPT entry is not: 2 guest reads, each after 4 nested.
    assertThat(fm.count(MetricNames.WALK_REFS_GUEST)).isEqualTo(2);
    assertThat(fm.count(MetricNames.WALK_REFS_NESTED)).isEqualTo(8);
  }

  @Test
  void anUnbackedDataPageIsAViolationAndTheAccessIsRetried() {
    FakeMachine fm = new FakeMachine(4);
    long root = fm.newTable();
    long data = fm.map(root, GVA, false);
    FakeVcpu mmu = running(fm, 4, root);
    assertThat(mmu.translate(GVA, AccessKind.WRITE)).isEqualTo(((data + 1000) << 12) | 0x10);
    assertThat(fm.count(MetricNames.EPT_VIOLATIONS)).isEqualTo(1);
    assertThat(fm.count(MetricNames.EXITS)).isEqualTo(1);
    assertThat(fm.count(MetricNames.WALKS)).isEqualTo(2);
    assertThat(fm.count(MetricNames.WALK_REFS)).isEqualTo(48);
    assertThat(fm.count(MetricNames.NATIVE_WALK_REFS)).isEqualTo(4);
  }

  @Test
  void aViolationStopsTheWalkAndIsLeftToTheVcpu() {
    FakeMachine fm = new FakeMachine(4);
    long root = fm.newTable();
    long data = fm.map(root, GVA, false);
    FakeVcpu cpu = running(fm, 4, root);
    long result = cpu.mmu().walk(GVA, AccessKind.WRITE);
    assertThat(WalkResult.isViolation(result)).isTrue();
    assertThat(WalkResult.violationPage(result)).isEqualTo(data);
    assertThat(WalkResult.violationWrite(result)).isTrue();
    // The walk only reports it: resolving it is the hypervisor's, through the vCPU.
    assertThat(fm.resolved()).isZero();
    assertThat(fm.count(MetricNames.EPT_VIOLATIONS)).isEqualTo(1);
    assertThat(fm.count(MetricNames.EXITS)).isEqualTo(1);
    // An unbacked page table is a violation on the table's page, for a read.
    FakeMachine fm2 = new FakeMachine(4);
    long root2 = fm2.newTable();
    fm2.map(root2, GVA, true);
    fm2.setP2m(root2, 0);
    long onTable = running(fm2, 4, root2).mmu().walk(GVA, AccessKind.WRITE);
    assertThat(WalkResult.violationPage(onTable)).isEqualTo(root2);
    assertThat(WalkResult.violationWrite(onTable)).isFalse();
  }

  @Test
  void aWriteToASharedPageTakesAViolationAReadDoesNot() {
    FakeMachine fm = new FakeMachine(4);
    long root = fm.newTable();
    long data = fm.map(root, GVA, true);
    fm.setP2m(data, P2mEntry.of(P2mEntry.SHARED, 77, 1));
    FakeVcpu mmu = running(fm, 4, root);
    assertThat(mmu.translate(GVA, AccessKind.READ) >>> 12).isEqualTo(77);
    assertThat(fm.resolved()).isZero();
    // The TLB entry came from a read-only mapping: a write walks, faults, and gets the new frame.
    assertThat(mmu.translate(GVA, AccessKind.WRITE) >>> 12).isEqualTo(data + 1000);
    assertThat(fm.resolved()).isEqualTo(1);
  }

  @Test
  void walksSetAccessedAndDirtyBits() {
    FakeMachine fm = new FakeMachine(4);
    long root = fm.newTable();
    fm.map(root, GVA, true);
    FakeVcpu mmu = running(fm, 4, root);
    mmu.translate(GVA, AccessKind.READ);
    assertThat(fm.leaf(root, GVA, 1) & (Pte.ACCESSED | Pte.DIRTY)).isEqualTo(Pte.ACCESSED);
    assertThat(fm.leaf(root, GVA, 4) & Pte.ACCESSED).isEqualTo(Pte.ACCESSED);
    mmu.translate(GVA, AccessKind.WRITE);
    assertThat(fm.leaf(root, GVA, 1) & (Pte.ACCESSED | Pte.DIRTY)).isEqualTo(Pte.ACCESSED | Pte.DIRTY);
    assertThat(fm.leaf(root, GVA, 2) & Pte.DIRTY).isZero();
    assertThat(fm.count(MetricNames.WALKS)).isEqualTo(2);
    mmu.translate(GVA, AccessKind.WRITE);
    assertThat(fm.count(MetricNames.WALKS)).isEqualTo(2);
  }

  @Test
  void aP2mChangeFlushesEveryVcpu() {
    FakeMachine fm = new FakeMachine(4);
    MapTlb a = new MapTlb();
    MapTlb b = new MapTlb();
    EptMmu mmu = new EptMmu(fm, 4);
    mmu.vcpu(fm.vcpu(a));
    mmu.vcpu(fm.vcpu(b));
    mmu.p2mChanged(5);
    assertThat(a.flushes()).isEqualTo(1);
    assertThat(b.flushes()).isEqualTo(1);
    assertThat(fm.count("invept")).isEqualTo(1);
  }
}
