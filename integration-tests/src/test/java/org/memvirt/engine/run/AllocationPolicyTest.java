package org.memvirt.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memvirt.api.MetricNames;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.engine.config.ExperimentException;
import org.memvirt.engine.experiment.Experiment;
import org.memvirt.engine.experiment.VmSpec;
import org.memvirt.engine.hypervisor.TechniqueView;
import org.memvirt.engine.report.RunResult;
import org.memvirt.engine.vm.VirtualMachine;

/**
 * policy-shares in whole machines: the idle tax moves memory to the busy VM, the policy's
 * accessed bit and the techniques' never hide each other's touches, every write and frame
 * is kept with the policy driving balloon, swap and sharing, and static partitioning
 * refuses to overcommit.
 */
class AllocationPolicyTest {
  /** Experiment 1 scaled down: two VMs of 32 MiB with equal shares on 48 MiB, one idle, one busy. */
  private static RunResult idleTax(double tax) {
    return Machines.run("""
        seed: 3
        duration: 60s
        host: {memory: 48MiB, reclaim_period: 500ms}
        policy: {type: shares, tax: %s, period: 2s, sample: {period: 4s}}
        reclaim:
          balloon: {driver: vmware, period: 500ms}
          swap: {}
        vms:
          - name: idle
            memory: 32MiB
            processes: [{workload: {type: idle, footprint: 24MiB, active: 4KiB, writes: 0.5, rate: 50K/s}}]
          - name: busy
            memory: 32MiB
            processes: [{workload: {type: uniform, footprint: 24MiB, writes: 0.3, rate: 50K/s}}]
        """.formatted(tax));
  }

  @Test
  void theIdleTaxMovesMemoryToTheBusyVmAndWithoutItBothGetAlike() {
    RunResult none = idleTax(0);
    RunResult taxed = idleTax(0.75);
    assertThat(none.failure()).isNull();
    assertThat(taxed.failure()).isNull();
    long idle0 = Machines.metric(none, "idle", MetricNames.CONSUMED);
    long busy0 = Machines.metric(none, "busy", MetricNames.CONSUMED);
    assertThat((double) Math.abs(idle0 - busy0)).isLessThan(0.1 * busy0);
    long idle75 = Machines.metric(taxed, "idle", MetricNames.CONSUMED);
    long busy75 = Machines.metric(taxed, "busy", MetricNames.CONSUMED);
    // Taxed, the idle VM gives up its idle pages and the busy one gets its whole 24 MiB (6144 pages).
    assertThat(idle75).isLessThan(idle0 - 1000);
    assertThat(busy0).isLessThan(6144);
    assertThat(busy75).isGreaterThanOrEqualTo(6144);
    assertThat(Machines.metric(taxed, "busy", MetricNames.TARGET))
        .isGreaterThan(Machines.metric(taxed, "idle", MetricNames.TARGET));
    // More than 30% better throughput, as the paper reports.
    assertThat(taxed.vm("busy").metrics().get(MetricNames.THROUGHPUT).doubleValue())
        .isGreaterThan(1.3 * none.vm("busy").metrics().get(MetricNames.THROUGHPUT).doubleValue());
    // The sampler saw the idle VM idle and the busy one busy.
    assertThat(Machines.metric(taxed, "idle", MetricNames.ACTIVE)).isLessThan(1000);
    assertThat(Machines.metric(taxed, "busy", MetricNames.ACTIVE)).isGreaterThan(4000);
  }

  /** The policy's and the techniques' accessed bits: each clears its own, a walk sets both. */
  @Test
  void thePolicysAccessedBitAndTheTechniquesNeverHideEachOthersTouches() {
    Simulation sim = Machines.simulation("""
        duration: 10s
        host: {memory: 64MiB}
        vms:
          - name: vm
            memory: 16MiB
            processes: [{workload: {type: script, pages: "0,1,2,3", write: true, loop: true, rate: 1K/s}}]
        """);
    sim.advanceTo(1_000_000_000L);
    VirtualMachine vm = sim.vms().get(0);
    TechniqueView policy = new TechniqueView(vm, sim.hypervisor(), TechniqueView.POLICY, "policy");
    TechniqueView technique = new TechniqueView(vm, sim.hypervisor(), 1, "technique");
    long g = -1;
    for (long p = 0; p < vm.p2m().pages() && g < 0; p++) {
      if (P2mEntry.readable(vm.p2m().get(p)) && P2mEntry.accessed(technique.get(p))) {
        g = p;
      }
    }
    assertThat(g).isNotNegative();
    // The policy clears its bit: the techniques' stays set.
    policy.clearAccessed(g);
    assertThat(P2mEntry.accessed(policy.get(g))).isFalse();
    assertThat(P2mEntry.accessed(technique.get(g))).isTrue();
    // A technique clears its own: the policy's stays clear, and the entry is otherwise the same.
    technique.clearAccessed(g);
    assertThat(P2mEntry.accessed(technique.get(g))).isFalse();
    assertThat(P2mEntry.accessed(policy.get(g))).isFalse();
    assertThat(technique.get(g) & ~P2mEntry.ACCESSED).isEqualTo(policy.get(g) & ~P2mEntry.ACCESSED);
    // The guest touches it again: one walk sets both.
    sim.advanceTo(2_000_000_000L);
    assertThat(P2mEntry.accessed(technique.get(g))).isTrue();
    assertThat(P2mEntry.accessed(policy.get(g))).isTrue();
  }

  /** Overcommitted machines under the shares policy with balloon, swap and sharing: every write and every frame kept. */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void policyDrivenMachinesKeepEveryWriteAndEveryFrame(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    String mmu = r.nextBoolean() ? "ept" : "shadow";
    String policy = new String[] {"shares", "shares", "working-set"}[r.nextInt(3)];
    String sharing = r.nextBoolean() ? "sharing: {scanner: ksm, pages_to_scan: 200}"
        : "sharing: {scan_vm: 2000/s, scan_total: 4000/s}";
    String balloon = r.nextBoolean() ? "balloon: {driver: vmware, period: 200ms}"
        : "balloon: {driver: virtio, period: 200ms, deflate_on_oom: true}";
    Simulation sim = Machines.simulation("""
        seed: %d
        duration: 6s
        verify: true
        host: {memory: 20MiB, reclaim_period: 200ms}
        mmu: {type: %s}
        policy: {type: %s, period: 1s, sample: {period: 500ms, pages: 50}}
        reclaim:
          %s
          %s
          swap: {victims: %s}
        vms:
          - name: idle
            memory: 12MiB
            shares: low
            guest: {swap: 16MiB}
            processes:
              - workload: {type: idle, footprint: 8MiB, active: 64KiB, writes: 0.5, rate: 20K/s, content: {shared: 0.3, zero: 0.2}}
          - name: busy
            memory: 12MiB
            shares: high
            processes:
              - workload: {type: uniform, footprint: 9MiB, writes: 0.3, rate: 20K/s, lifetime: 20K, content: {shared: 0.3}}
              - workload: {type: zipf, footprint: 3MiB, writes: 0.2, rate: 10K/s, content: {zero: 0.3}}
        """.formatted(seed, mmu, policy, sharing, balloon, r.nextBoolean() ? "clock" : "random"));
    for (long t = 500_000_000L; t < 6_000_000_000L; t += 500_000_000L) {
      sim.advanceTo(t);
      sim.checkFrameTable();
    }
    RunResult result = sim.run();
    assertThat(result.failure()).isNull();
    assertThat(result.host().get("oracle_checks").longValue()).isGreaterThan(20_000);
    assertThat(Machines.metric(result, "busy", MetricNames.TARGET))
        .isGreaterThan(Machines.metric(result, "idle", MetricNames.TARGET));
  }

  @Test
  void staticPartitioningRefusesToOvercommitInOneLine() {
    assertThatThrownBy(() -> Machines.run("""
        host: {memory: 64MiB}
        policy: {type: static}
        vms:
          - {name: a, memory: 48MiB, processes: [{workload: {type: uniform, footprint: 4MiB}}]}
          - {name: b, memory: 32MiB, processes: [{workload: {type: uniform, footprint: 4MiB}}]}
        """)).isInstanceOf(ExperimentException.class)
        .hasMessageContaining("policy.type: expected VMs that fit in host memory under static partitioning")
        .hasMessageContaining("80MiB").hasMessageContaining("64MiB");
  }

  @Test
  void sharesAreWrittenAsNumbersOrLevels() {
    Experiment e = Machines.experiment("""
        host: {memory: 1GiB}
        vms:
          - {name: a, memory: 100MiB, shares: low, processes: [{workload: {type: uniform, footprint: 4MiB}}]}
          - {name: b, memory: 100MiB, processes: [{workload: {type: uniform, footprint: 4MiB}}]}
          - {name: c, memory: 100MiB, shares: high, processes: [{workload: {type: uniform, footprint: 4MiB}}]}
          - {name: d, memory: 100MiB, shares: 1234, processes: [{workload: {type: uniform, footprint: 4MiB}}]}
          - {name: e, memory: 100MiB, shares: 0, processes: [{workload: {type: uniform, footprint: 4MiB}}]}
        """);
    assertThat(e.vms.stream().map(VmSpec::shares).toList()).containsExactly(500L, 1000L, 2000L, 1234L, 0L);
    assertThatThrownBy(() -> Machines.experiment("""
        vms:
          - {name: a, memory: 100MiB, shares: lots, processes: [{workload: {type: uniform, footprint: 4MiB}}]}
        """)).isInstanceOf(ExperimentException.class)
        .hasMessageContaining("vms[0].shares: expected a number of shares, or low, normal or high");
  }

  @Test
  void badPolicySettingsGiveOneLineNamingTheKey() {
    String yaml = """
        host: {memory: 64MiB}
        policy: {type: shares, %s}
        vms:
          - {name: a, memory: 32MiB, processes: [{workload: {type: uniform, footprint: 4MiB}}]}
        """;
    assertThatThrownBy(() -> Machines.run(yaml.formatted("tax: 1"))).isInstanceOf(ExperimentException.class)
        .hasMessageContaining("policy.tax: expected a tax rate from 0");
    assertThatThrownBy(() -> Machines.run(yaml.formatted("sample: {pages: 0}"))).isInstanceOf(ExperimentException.class)
        .hasMessageContaining("policy.sample.pages");
    assertThatThrownBy(() -> Machines.run(yaml.formatted("period: 0s"))).isInstanceOf(ExperimentException.class)
        .hasMessageContaining("policy.period");
  }
}
