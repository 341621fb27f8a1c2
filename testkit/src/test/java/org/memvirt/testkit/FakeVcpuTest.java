package org.memvirt.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.memvirt.api.AccessKind;
import org.memvirt.api.MetricNames;
import org.memvirt.api.mmu.TlbEntry;
import org.memvirt.api.mmu.WalkResult;

/** The fake vCPU drives a technique as the engine's does: walks on a miss only, fills, re-executes after faults. */
class FakeVcpuTest {
  private static final long GVA = 0x4000_1234L;

  @Test
  void aViolationIsResolvedByTheMachineAndTheAccessReexecuted() {
    FakeMachine fm = new FakeMachine(4);
    ScriptedMmu mmu = new ScriptedMmu(List.of(WalkResult.violation(9, true), TlbEntry.small(42, true)));
    FakeVcpu cpu = new FakeVcpu(fm, mmu);
    assertThat(cpu.translate(GVA, AccessKind.WRITE)).isEqualTo((42L << 12) | 0x234);
    assertThat(fm.resolved()).isEqualTo(1);
    assertThat(fm.count(MetricNames.WALKS)).isEqualTo(2);
    assertThat(fm.count(MetricNames.RETRIES)).isEqualTo(1);
    // The entry was filled: the next access hits, with no walk.
    assertThat(cpu.translate(GVA + 8, AccessKind.WRITE)).isEqualTo((42L << 12) | 0x23c);
    assertThat(mmu.walks()).isEqualTo(2);
  }

  @Test
  void aReadOnlyEntryServesReadsAndSendsWritesToTheWalk() {
    FakeMachine fm = new FakeMachine(4);
    ScriptedMmu mmu = new ScriptedMmu(List.of(TlbEntry.small(42, false), TlbEntry.small(43, true)));
    FakeVcpu cpu = new FakeVcpu(fm, mmu);
    cpu.translate(GVA, AccessKind.READ);
    cpu.translate(GVA, AccessKind.READ);
    assertThat(mmu.walks()).isEqualTo(1);
    assertThat(cpu.translate(GVA, AccessKind.WRITE) >>> 12).isEqualTo(43);
    assertThat(mmu.walks()).isEqualTo(2);
  }

  @Test
  void aGuestFaultIsTheTestsAndALargeEntryCoversIts2MibPage() {
    FakeMachine fm = new FakeMachine(4);
    long vpn = GVA >>> 12;
    ScriptedMmu mmu = new ScriptedMmu(List.of(WalkResult.GUEST_FAULT, TlbEntry.large(vpn, 7000 + (vpn & 511), true)));
    FakeVcpu cpu = new FakeVcpu(fm, mmu);
    assertThat(cpu.translate(GVA, AccessKind.READ)).isEqualTo(WalkResult.GUEST_FAULT);
    assertThat(cpu.translate(GVA, AccessKind.READ) >>> 12).isEqualTo(7000 + (vpn & 511));
    long other = (GVA & ~((2L << 20) - 1)) + 4096 * 3;
    assertThat(cpu.translate(other, AccessKind.READ) >>> 12).isEqualTo(7003);
    assertThat(mmu.walks()).isEqualTo(2);
  }

  @Test
  void aTechniqueThatNeverResolvesIsCalledBroken() {
    FakeVcpu cpu = new FakeVcpu(new FakeMachine(4), new ScriptedMmu(List.of()));
    assertThatThrownBy(() -> cpu.translate(GVA, AccessKind.READ))
        .hasMessage("access to 0x40001234 still faults after 16 re-executions");
  }

  @Test
  void aWalkResultThatIsNoneOfTheKnownOnesIsCalledBroken() {
    FakeVcpu cpu = new FakeVcpu(new FakeMachine(4), new ScriptedMmu(List.of(-3L)));
    assertThatThrownBy(() -> cpu.translate(GVA, AccessKind.READ))
        .hasMessage("the walk of 0x40001234 returned -3, neither a TLB entry nor a WalkResult");
  }
}
