package org.memvirt.mmu.ept;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.memvirt.api.AccessKind;
import org.memvirt.api.MetricNames;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.mmu.Pte;
import org.memvirt.api.mmu.VcpuMmu;
import org.memvirt.testkit.FakeMachine;

class EptTranslationTest {
  private static final long GVA = 0x7f12_3456_7000L + 0x10;

  /** The translation unit of one vCPU, running the process whose root table is {@code root}. */
  private static VcpuMmu running(FakeMachine fm, int nestedLevels, long root) {
    VcpuMmu mmu = new EptMmu(fm, nestedLevels).vcpu(fm.vcpu(new FakeMachine.MapTlb()));
    mmu.loadCr3(root);
    return mmu;
  }

  @ParameterizedTest(name = "{0}/{1}: {2} references")
  @CsvSource({"4, 4, 24", "5, 5, 35", "4, 5, 29", "3, 3, 15"})
  void coldWalk(int n, int m, int refs) {
    FakeMachine fm = new FakeMachine(n);
    long root = fm.newTable();
    long data = fm.map(root, GVA, true);
    VcpuMmu mmu = running(fm, m, root);
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
    VcpuMmu mmu = running(fm, 4, root);
    long other = GVA + (1L << 30); // the next GiB: same PML4 entry, another PDPT entry
    assertThat(mmu.translate(other, AccessKind.READ)).isEqualTo(VcpuMmu.GUEST_FAULT);
    // The PML4 entry is present, the PDPT entry is not: 2 guest reads, each after 4 nested.
    assertThat(fm.count(MetricNames.WALK_REFS_GUEST)).isEqualTo(2);
    assertThat(fm.count(MetricNames.WALK_REFS_NESTED)).isEqualTo(8);
  }

  @Test
  void anUnbackedDataPageIsAViolationAndTheAccessIsRetried() {
    FakeMachine fm = new FakeMachine(4);
    long root = fm.newTable();
    long data = fm.map(root, GVA, false);
    VcpuMmu mmu = running(fm, 4, root);
    assertThat(mmu.translate(GVA, AccessKind.WRITE)).isEqualTo(((data + 1000) << 12) | 0x10);
    assertThat(fm.count(MetricNames.EPT_VIOLATIONS)).isEqualTo(1);
    assertThat(fm.count(MetricNames.EXITS)).isEqualTo(1);
    assertThat(fm.count(MetricNames.WALKS)).isEqualTo(2);
    assertThat(fm.count(MetricNames.WALK_REFS)).isEqualTo(48);
    assertThat(fm.count(MetricNames.NATIVE_WALK_REFS)).isEqualTo(4);
  }

  @Test
  void aWriteToASharedPageTakesAViolationAReadDoesNot() {
    FakeMachine fm = new FakeMachine(4);
    long root = fm.newTable();
    long data = fm.map(root, GVA, true);
    fm.setP2m(data, P2mEntry.of(P2mEntry.SHARED, 77, 1));
    VcpuMmu mmu = running(fm, 4, root);
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
    VcpuMmu mmu = running(fm, 4, root);
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
    FakeMachine.MapTlb a = new FakeMachine.MapTlb();
    FakeMachine.MapTlb b = new FakeMachine.MapTlb();
    EptMmu mmu = new EptMmu(fm, 4);
    mmu.vcpu(fm.vcpu(a));
    mmu.vcpu(fm.vcpu(b));
    mmu.p2mChanged(5);
    assertThat(a.flushes()).isEqualTo(1);
    assertThat(b.flushes()).isEqualTo(1);
    assertThat(fm.count("invept")).isEqualTo(1);
  }
}
