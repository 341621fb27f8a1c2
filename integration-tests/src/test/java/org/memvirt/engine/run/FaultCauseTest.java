package org.memvirt.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memvirt.api.MetricNames;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.engine.hypervisor.Technique;
import org.memvirt.engine.report.RunResult;
import org.memvirt.engine.vm.VirtualMachine;
import org.memvirt.testkit.HandSwapper;

/**
 * A fault on a page a technique holds tells the technique why: the guest kernel reading
 * the page to write it to its own swap device (double paging), the guest kernel
 * overwriting it whole (a zero-fill, a swap-in: nothing to read back), or a vCPU access.
 */
class FaultCauseTest {
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ept", "shadow"})
  void theGuestKernelsPageOperationsArriveWithTheirCauses(String mmu) {
    String yaml = """
        duration: 1s
        verify: true
        host: {memory: 64MiB}
        mmu: {type: %s}
        vms:
          - name: vm
            memory: 4MiB
            guest: {swap: 64MiB}
            processes:
              - workload: {type: uniform, footprint: 8MiB, writes: 0.5, rate: 200K/s, lifetime: 3K}
        reclaim:
          toy-hand: {}
        """.formatted(mmu);
    Simulation sim = Machines.simulation(yaml);
    sim.advanceTo(200_000_000L);
    VirtualMachine vm = sim.vms().get(0);
    Technique t = sim.hypervisor().techniques().get(0);
    HandSwapper hand = (HandSwapper) t.reclaimer;
    long swappedOut = 0;
    for (long gppn = 0; gppn < vm.pages(); gppn++) {
      if (P2mEntry.state(vm.p2m().get(gppn)) == P2mEntry.MAPPED) {
        hand.swapOut(t.view(vm), gppn);
        swappedOut++;
      }
    }
    assertThat(swappedOut).isGreaterThan(900);
    RunResult r = sim.run();
    long guestIo = Machines.metric(r, "vm", "hand_fault_guest_io");
    long overwrite = Machines.metric(r, "vm", "hand_fault_guest_overwrite");
    // The guest swapped out pages the host had swapped: each was read in whole for it.
    assertThat(guestIo).isPositive().isLessThanOrEqualTo(Machines.metric(r, "vm", MetricNames.GUEST_SWAP_OUTS));
    // Processes exit (a lifetime of 3K accesses), freeing frames the host had swapped; new
    // ones zero-fill them: nothing was read back for those (the technique restored no
    // content), and the oracle still holds.
    assertThat(overwrite).isPositive();
    assertThat(Machines.metric(r, "vm", "hand_fault_vcpu_read") + Machines.metric(r, "vm", "hand_fault_vcpu_write"))
        .isPositive();
    assertThat(guestIo + overwrite + Machines.metric(r, "vm", "hand_fault_vcpu_read")
        + Machines.metric(r, "vm", "hand_fault_vcpu_write")).isLessThanOrEqualTo(swappedOut);
    assertThat(r.host().get("oracle_checks").longValue()).isPositive();
  }
}
