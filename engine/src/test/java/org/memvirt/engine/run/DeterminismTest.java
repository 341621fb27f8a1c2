package org.memvirt.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.memvirt.engine.report.RunResult;

class DeterminismTest {
  private static final String YAML = """
      seed: %d
      duration: 2s
      host: {memory: 64MiB}
      vms:
        - name: a
          memory: 8MiB
          vcpus: 2
          guest: {swap: 64MiB}
          processes:
            - workload: {type: zipf, footprint: 16MiB, writes: 0.3, fetches: 0.2, rate: 200K/s}
              copies: 3
        - name: b
          memory: 16MiB
          processes:
            - workload: {type: uniform, footprint: 8MiB, rate: 300K/s}
      """;

  @Test
  void sameExperimentAndSeedGiveTheSameNumbers() {
    RunResult first = Machines.run(YAML.formatted(11));
    RunResult second = Machines.run(YAML.formatted(11));
    assertThat(second).isEqualTo(first);
    assertThat(second.timeSeries()).isEqualTo(first.timeSeries()).hasSize(2 * 3); // two VMs, sampled at 0, 1 s and 2 s
    // Per-vCPU counters add up to their VM's.
    RunResult.VmResult a = first.vm("a");
    assertThat(a.vcpus()).hasSize(2);
    assertThat(a.vcpus().get(0).get("accesses") + a.vcpus().get(1).get("accesses"))
        .isEqualTo(a.metrics().get("accesses"));
    assertThat(a.vcpus()).allSatisfy(v -> assertThat(v.get("accesses")).isPositive());
  }

  @Test
  void anotherSeedGivesOtherNumbers() {
    assertThat(Machines.run(YAML.formatted(12)).vms()).isNotEqualTo(Machines.run(YAML.formatted(11)).vms());
  }
}
