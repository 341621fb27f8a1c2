package org.memvirt.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.memvirt.api.AccessKind;
import org.memvirt.api.MetricNames;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.mmu.TlbEntry;
import org.memvirt.api.mmu.WalkResult;
import org.memvirt.engine.guest.GuestProcess;
import org.memvirt.engine.machine.VcpuMmuContext;
import org.memvirt.engine.vm.Vcpu;
import org.memvirt.engine.vm.VirtualMachine;
import org.memvirt.testkit.ScriptedMmu;

/**
 * The vCPU's one retry loop, with a technique whose walks return what the test scripted:
 * the vCPU walks only on a miss, fills what the walk returns, has the hypervisor resolve a
 * violation and the guest a page fault, and calls a technique that never resolves broken.
 */
class VcpuAccessTest {
  private static final long GVA = 0x1000_0000L + 0x1234;

  private final Simulation sim = Machines.simulation("""
      host: {memory: 64MiB}
      vms:
        - name: vm
          memory: 16MiB
          processes: [{workload: {type: script, pages: "1"}}]
      """);
  private final VirtualMachine vm = sim.vms().get(0);
  private final Vcpu vcpu = vm.vcpus().get(0);
  private final GuestProcess process = vm.kernel().createProcess();

  private ScriptedMmu scripted(Long... results) {
    ScriptedMmu s = new ScriptedMmu(List.of(results));
    vcpu.attach(s, new VcpuMmuContext(0, vcpu.tlb(), vcpu.scope(), null, null, null));
    return s;
  }

  @Test
  void aViolationIsResolvedByTheHypervisorThenTheAccessReexecutes() {
    long gppn = 40;
    assertThat(P2mEntry.state(vm.p2m().get(gppn))).isEqualTo(P2mEntry.UNBACKED);
    ScriptedMmu mmu = scripted(WalkResult.violation(gppn, true), TlbEntry.small(7, true));
    long walks = vcpu.scope().get(MetricNames.WALKS);
    long retries = vcpu.scope().get(MetricNames.RETRIES);
    assertThat(vcpu.translate(process, GVA, AccessKind.WRITE)).isEqualTo((7L << 12) | 0x234);
    // The hypervisor backed the page the walk named.
    assertThat(P2mEntry.readable(vm.p2m().get(gppn))).isTrue();
    assertThat(vcpu.scope().get(MetricNames.WALKS) - walks).isEqualTo(2);
    assertThat(vcpu.scope().get(MetricNames.RETRIES) - retries).isEqualTo(1);
    // Filled: the next access to the page hits.
    vcpu.translate(process, GVA + 16, AccessKind.READ);
    assertThat(mmu.walks()).isEqualTo(2);
  }

  @Test
  void aGuestFaultIsHandledByTheGuest() {
    long faults = vm.scope().get(MetricNames.PF_GUEST);
    scripted(WalkResult.GUEST_FAULT, TlbEntry.small(7, false));
    vcpu.translate(process, GVA, AccessKind.READ);
    assertThat(vm.scope().get(MetricNames.PF_GUEST) - faults).isEqualTo(1);
    assertThat(vm.kernel().pageTables().translate(process, GVA)).isNotNegative();
  }

  @Test
  void aTechniqueThatNeverResolvesAFaultIsCalledBroken() {
    scripted();
    assertThatThrownBy(() -> vcpu.translate(process, GVA, AccessKind.READ))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("vm vm: access to 0x10001234 still faults after 16 re-executions");
  }

  @Test
  void aWalkToHostFrameZeroIsATranslationNotAFault() {
    ScriptedMmu mmu = scripted(TlbEntry.small(0, false));
    assertThat(vcpu.translate(process, GVA, AccessKind.READ)).isEqualTo(0x234);
    assertThat(mmu.walks()).isEqualTo(1);
  }

  @Test
  void aWalkResultThatIsNoneOfTheKnownOnesIsCalledBroken() {
    scripted(-3L);
    assertThatThrownBy(() -> vcpu.translate(process, GVA, AccessKind.READ))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("vm vm: the walk of 0x10001234 returned -3, neither a TLB entry nor a WalkResult");
  }
}
