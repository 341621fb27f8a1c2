package org.memvirt.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.memvirt.api.AccessKind;
import org.memvirt.api.MetricNames;
import org.memvirt.api.mmu.VcpuMmu;
import org.memvirt.api.mmu.WalkResult;
import org.memvirt.engine.guest.GuestProcess;
import org.memvirt.engine.vm.Vcpu;
import org.memvirt.engine.vm.VirtualMachine;

/**
 * 2 MiB pages: guest huge pages (PS leaves), 2 MiB host backing, their walk lengths (19 for
 * 4/3, 15 for 3/3: Bhargava et al.), 2 MiB TLB entries, and shadow paging's large entries.
 */
class LargePagesTest {
  private static final long GVA = 0x4000_0000L + 5 * 4096 + 0x10; // 2 MiB aligned region

  private static Simulation machine(String mmu, boolean hostLarge, boolean guestLarge) {
    return Machines.simulation("""
        host: {memory: 64MiB, large_pages: %s}
        mmu: {type: %s, walk_cache: {entries: 0, nested_entries: 0, nested_tlb: 0}}
        vms:
          - name: vm
            memory: 16MiB
            guest: {huge_pages: %s}
            processes:
              - workload: {type: script, pages: "1"}
        """.formatted(hostLarge ? "32MiB" : "0", mmu, guestLarge ? "4MiB" : "0"));
  }


  @ParameterizedTest(name = "guest 2 MiB {0}, host 2 MiB {1}: {2} references")
  @CsvSource({"false, true, 19", "true, false, 19", "true, true, 15", "false, false, 24"})
  void coldNestedWalks(boolean guestLarge, boolean hostLarge, int refs) {
    Simulation sim = machine("ept", hostLarge, guestLarge);
    VirtualMachine vm = sim.vms().get(0);
    Vcpu vcpu = vm.vcpus().get(0);
    GuestProcess p = vm.kernel().createProcess(guestLarge);
    VcpuMmu mmu = vcpu.mmu();
    mmu.loadCr3(p.rootGppn());
    assertThat(mmu.walk(GVA, AccessKind.READ)).isEqualTo(WalkResult.GUEST_FAULT);
    vm.kernel().handlePageFault(p, GVA);
    long hpa = vcpu.translate(p, GVA, AccessKind.READ);
    mmu.flushTlb();
    Map<String, Long> before = Machines.snapshot(vcpu.scope());
    assertThat(vcpu.translate(p, GVA, AccessKind.READ)).isEqualTo(hpa);
    assertThat(Machines.delta(before, vcpu.scope(), MetricNames.WALK_REFS)).isEqualTo(refs);
    assertThat(Machines.delta(before, vcpu.scope(), MetricNames.WALK_REFS_GUEST)).isEqualTo(guestLarge ? 3 : 4);
    // The next 4 KiB page of the same 2 MiB page: one 2 MiB TLB entry covers it only if both map large.
    long next = GVA + 4096;
    if (!guestLarge) {
      vm.kernel().handlePageFault(p, next);
    }
    before = Machines.snapshot(vcpu.scope());
    long nextHpa = vcpu.translate(p, next, AccessKind.READ);
    assertThat(Machines.delta(before, vcpu.scope(), MetricNames.WALKS)).isEqualTo(guestLarge && hostLarge ? 0 : 1);
    if (guestLarge && hostLarge) {
      assertThat(nextHpa).isEqualTo(hpa + 4096);
    }
  }

  @Test
  void theGuestMapsOneHugePageAndZeroFillsIt() {
    Simulation sim = machine("ept", true, true);
    VirtualMachine vm = sim.vms().get(0);
    GuestProcess p = vm.kernel().createProcess(true);
    long faults = vm.scope().get(MetricNames.PF_GUEST);
    vm.kernel().handlePageFault(p, GVA);
    assertThat(vm.scope().get(MetricNames.PF_GUEST) - faults).isEqualTo(1);
    assertThat(vm.kernel().memory().hugePagesFree()).isEqualTo(1);
    long gppn = vm.kernel().pageTables().translate(p, GVA);
    assertThat(vm.kernel().pageTables().translate(p, GVA + 4096)).isEqualTo(gppn + 1);
    vm.kernel().exitProcess(p);
    assertThat(vm.kernel().memory().hugePagesFree()).isEqualTo(2);
  }

  @ParameterizedTest(name = "host 2 MiB {0}: {1} shadow references")
  @CsvSource({"true, 3", "false, 4"})
  void shadowUsesALargeEntryOnlyWhereTheHostMapsLargeToo(boolean hostLarge, int refs) {
    Simulation sim = machine("shadow", hostLarge, true);
    VirtualMachine vm = sim.vms().get(0);
    Vcpu vcpu = vm.vcpus().get(0);
    GuestProcess p = vm.kernel().createProcess(true);
    VcpuMmu mmu = vcpu.mmu();
    mmu.loadCr3(p.rootGppn());
    long hpa = vcpu.translate(p, GVA, AccessKind.READ);
    vcpu.tlb().flush();
    Map<String, Long> before = Machines.snapshot(vcpu.scope());
    assertThat(vcpu.translate(p, GVA, AccessKind.READ)).isEqualTo(hpa);
    assertThat(Machines.delta(before, vcpu.scope(), MetricNames.WALK_REFS)).isEqualTo(refs);
    assertThat(Machines.delta(before, vcpu.scope(), "exits_hidden_fault")).isZero();
  }
}
