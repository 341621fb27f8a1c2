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
import org.memvirt.engine.hardware.MetricScope;
import org.memvirt.engine.report.RunResult;
import org.memvirt.engine.vm.Vcpu;
import org.memvirt.engine.vm.VirtualMachine;

/**
 * A cold two-dimensional walk makes (n+1)(m+1)-1 references (Bhargava et al. ASPLOS'08):
 * 24 for 4/4, 35 for 5/5, 29 for 4/5; natively n.
 */
class WalkReferencesTest {
  private static final long GVA = 0x1000_0000L + 0x1234;

  private static final String CACHES_OFF = "{entries: 0, nested_entries: 0, nested_tlb: 0}";

  private static Simulation machine(int guestLevels, int nestedLevels) {
    return Machines.simulation("""
        host: {memory: 64MiB}
        mmu: {type: ept, levels: %d, nested_levels: %d, walk_cache: %s}
        vms:
          - name: vm
            memory: 16MiB
            processes:
              - workload: {type: script, pages: "1"}
        """.formatted(guestLevels, nestedLevels, CACHES_OFF));
  }

  /** A machine with one process running on vCPU 0 whose page at {@link #GVA} the guest has mapped. */
  private record Mapped(Simulation sim, VirtualMachine vm, Vcpu vcpu, VcpuMmu mmu, GuestProcess process) {}

  private static Mapped mapped(int guestLevels, int nestedLevels) {
    Simulation sim = machine(guestLevels, nestedLevels);
    VirtualMachine vm = sim.vms().get(0);
    Vcpu vcpu = vm.vcpus().get(0);
    GuestProcess p = vm.kernel().createProcess();
    vcpu.mmu().loadCr3(p.rootGppn());
    assertThat(vcpu.mmu().walk(GVA, AccessKind.READ)).isEqualTo(WalkResult.GUEST_FAULT);
    vm.kernel().handlePageFault(p, GVA);
    return new Mapped(sim, vm, vcpu, vcpu.mmu(), p);
  }


  @ParameterizedTest(name = "{0}-level guest, {1}-level nested: {2} references")
  @CsvSource({"4, 4, 24", "5, 5, 35", "4, 5, 29", "5, 4, 29"})
  void coldWalkReferences(int n, int m, int expected) {
    Mapped machine = mapped(n, m);
    Vcpu vcpu = machine.vcpu();
    VcpuMmu mmu = machine.mmu();
    long hpa = machine.vcpu().translate(machine.process(), GVA, AccessKind.READ);
    assertThat(hpa & 0xfff).isEqualTo(0x234);

    mmu.flushTlb();
    Map<String, Long> before = Machines.snapshot(vcpu.scope());
    assertThat(machine.vcpu().translate(machine.process(), GVA, AccessKind.READ)).isEqualTo(hpa);
    MetricScope s = vcpu.scope();
    assertThat(Machines.delta(before, s, MetricNames.WALKS)).isEqualTo(1);
    assertThat(Machines.delta(before, s, MetricNames.WALK_REFS)).isEqualTo(expected);
    assertThat(Machines.delta(before, s, MetricNames.WALK_REFS_GUEST)).isEqualTo(n);
    assertThat(Machines.delta(before, s, MetricNames.WALK_REFS_NESTED)).isEqualTo((long) (n + 1) * m);
    assertThat(Machines.delta(before, s, MetricNames.NATIVE_WALK_REFS)).isEqualTo(n);

    // A TLB hit walks nothing.
    before = Machines.snapshot(s);
    assertThat(machine.vcpu().translate(machine.process(), GVA + 8, AccessKind.READ)).isEqualTo(hpa + 8);
    assertThat(Machines.delta(before, s, MetricNames.WALK_REFS)).isZero();
  }

  @Test
  void aWriteThroughACleanEntryWalksToSetTheDirtyBit() {
    Mapped machine = mapped(4, 4);
    VcpuMmu mmu = machine.mmu();
    machine.vcpu().translate(machine.process(), GVA, AccessKind.READ);
    MetricScope s = machine.vcpu().scope();
    Map<String, Long> before = Machines.snapshot(s);
    machine.vcpu().translate(machine.process(), GVA, AccessKind.WRITE);
    assertThat(Machines.delta(before, s, MetricNames.WALKS)).isEqualTo(1);
    before = Machines.snapshot(s);
    machine.vcpu().translate(machine.process(), GVA, AccessKind.WRITE);
    assertThat(Machines.delta(before, s, MetricNames.WALKS)).isZero();
  }

  @Test
  void anUnbackedGuestPageIsAnEptViolationThenTheAccessIsRetried() {
    Mapped machine = mapped(4, 4);
    VirtualMachine vm = machine.vm();
    VcpuMmu mmu = machine.mmu();
    long gppn = vm.kernel().pageTables().translate(machine.process(), GVA);
    // The hypervisor takes the page's frame away (as a swapper would, but dropping content:
    // the guest wrote only zeros there).
    long frame = org.memvirt.api.memory.P2mEntry.value(vm.p2m().get(gppn));
    vm.p2m().set(gppn, 0);
    machine.sim().host().free(frame);
    MetricScope s = machine.vcpu().scope();
    Map<String, Long> before = Machines.snapshot(s);
    long zeroedBefore = vm.scope().get(MetricNames.FRAMES_ZEROED);
    machine.vcpu().translate(machine.process(), GVA, AccessKind.READ);
    assertThat(Machines.delta(before, s, MetricNames.EPT_VIOLATIONS)).isEqualTo(1);
    assertThat(Machines.delta(before, s, MetricNames.EXITS)).isEqualTo(1);
    // The aborted walk (24) and the retried one (24); natively only the retried one (4).
    assertThat(Machines.delta(before, s, MetricNames.WALKS)).isEqualTo(2);
    assertThat(Machines.delta(before, s, MetricNames.WALK_REFS)).isEqualTo(48);
    assertThat(Machines.delta(before, s, MetricNames.NATIVE_WALK_REFS)).isEqualTo(4);
    assertThat(vm.scope().get(MetricNames.FRAMES_ZEROED) - zeroedBefore).isEqualTo(1);
  }

  /**
   * Uniform reads over 64 MiB (16K pages, far beyond the TLB): with the walk caches and the
   * nested TLB on, the average walk is much shorter than 24 and the savings are counted;
   * off, every walk is exactly a cold one.
   */
  @Test
  void walkCachesCutTheAverageAndOffRestoresColdCounts() {
    String yaml = """
        seed: 5
        duration: 10s
        host: {memory: 256MiB}
        mmu: {walk_cache: %s}
        vms:
          - name: vm
            memory: 128MiB
            processes:
              - workload: {type: uniform, footprint: 64MiB, writes: 0, rate: 1M/s, accesses: 200K}
        """;
    RunResult on = Machines.run(yaml.formatted("{entries: 32, nested_entries: 32, nested_tlb: 32}"));
    RunResult off = Machines.run(yaml.formatted(CACHES_OFF));
    long walksOn = Machines.metric(on, "vm", MetricNames.WALKS);
    long walksOff = Machines.metric(off, "vm", MetricNames.WALKS);
    double perWalkOn = Machines.metric(on, "vm", MetricNames.WALK_REFS) / (double) walksOn;
    assertThat(perWalkOn).isLessThan(16);
    assertThat(Machines.metric(on, "vm", MetricNames.WALK_REFS_SAVED)).isPositive();
    assertThat(Machines.metric(on, "vm", "pwc_hits")).isPositive();
    assertThat(Machines.metric(on, "vm", "ntlb_hits")).isPositive();
    // Off, every walk is cold: each guest level read costs 4 nested references and itself,
    // and each walk that completes adds 4 for the data page (so 24 for a whole one); a walk
    // that finds no guest entry stops there.
    long faults = Machines.metric(off, "vm", MetricNames.PF_GUEST);
    long refsOff = Machines.metric(off, "vm", MetricNames.WALK_REFS);
    long guestOff = Machines.metric(off, "vm", MetricNames.WALK_REFS_GUEST);
    long completed = walksOff - faults;
    assertThat(refsOff).isEqualTo(5 * guestOff + 4 * completed);
    assertThat(guestOff - 4 * completed).as("guest references of faulting walks").isBetween(faults, 4 * faults);
    assertThat(Machines.metric(off, "vm", MetricNames.WALK_REFS_SAVED)).isZero();
    assertThat(Machines.metric(off, "vm", "pwc_hits")).isZero();
    assertThat(Machines.metric(off, "vm", MetricNames.EPT_VIOLATIONS))
        .isEqualTo(Machines.metric(off, "vm", MetricNames.FRAMES_ZEROED));
    // The same work either way: the caches change costs and time, not behaviour.
    assertThat(Machines.metric(on, "vm", MetricNames.ACCESSES)).isEqualTo(Machines.metric(off, "vm", MetricNames.ACCESSES));
    assertThat(Machines.metric(on, "vm", MetricNames.PF_GUEST)).isEqualTo(faults);
    assertThat(Machines.metric(on, "vm", MetricNames.WALK_REFS)).isLessThan(refsOff);
  }

  /** Guest paging levels are chosen per VM: a 5-level guest next to a 4-level one, both on 4-level EPT. */
  @Test
  void levelsArePerVm() {
    Simulation sim = Machines.simulation("""
        host: {memory: 128MiB}
        mmu: {walk_cache: %s}
        vms:
          - name: la57
            memory: 16MiB
            levels: 5
            processes: [{workload: {type: script, pages: "1"}}]
          - name: classic
            memory: 16MiB
            processes: [{workload: {type: script, pages: "1"}}]
        """.formatted(CACHES_OFF));
    int[] expected = {29, 24};
    for (int v = 0; v < 2; v++) {
      VirtualMachine vm = sim.vms().get(v);
      Vcpu vcpu = vm.vcpus().get(0);
      GuestProcess p = vm.kernel().createProcess();
      vcpu.mmu().loadCr3(p.rootGppn());
      vm.kernel().handlePageFault(p, GVA);
      vcpu.translate(p, GVA, AccessKind.READ);
      vcpu.mmu().flushTlb();
      Map<String, Long> before = Machines.snapshot(vcpu.scope());
      vcpu.translate(p, GVA, AccessKind.READ);
      assertThat(Machines.delta(before, vcpu.scope(), MetricNames.WALK_REFS)).as(vm.name()).isEqualTo(expected[v]);
      assertThat(Machines.delta(before, vcpu.scope(), MetricNames.NATIVE_WALK_REFS)).as(vm.name())
          .isEqualTo(v == 0 ? 5 : 4);
    }
  }
}
