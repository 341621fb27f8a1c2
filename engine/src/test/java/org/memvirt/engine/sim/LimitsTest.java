package org.memvirt.engine.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memvirt.api.MetricNames;
import org.memvirt.engine.config.ExperimentException;

/**
 * A VM's limit ({@code max}) is never exceeded and its reservation ({@code min}) never
 * reclaimed below, under pressure, whatever the techniques; what cannot be kept is refused
 * up front or stops the run with a one-line reason.
 */
class LimitsTest {
  private static long backed(RunResult.Sample s) {
    return s.values().get(MetricNames.PRIVATE) + s.values().get(MetricNames.SHARED);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {201, 202, 203, 204, 205, 206})
  void maxAndMinHoldUnderPressure(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int maxA = 12 + r.nextInt(12);
    int minB = 4 + r.nextInt(8);
    String reclaim = switch (r.nextInt(3)) {
      case 0 -> "toy-swap: {}";
      case 1 -> "toy-balloon: {}\n  toy-swap: {}";
      default -> "toy-swap: {}\n  toy-balloon: {}";
    };
    String yaml = """
        seed: %d
        duration: 2s
        verify: true
        host: {memory: 40MiB, reclaim_period: 200ms}
        mmu: {type: %s}
        metrics: {period: 50ms}
        vms:
          - name: a
            memory: 32MiB
            max: %dMiB
            guest: {swap: 64MiB}
            processes:
              - workload: {type: uniform, footprint: 24MiB, writes: 0.5, rate: 200K/s}
          - name: b
            memory: 32MiB
            min: %dMiB
            guest: {swap: 64MiB}
            processes:
              - workload: {type: zipf, footprint: 24MiB, writes: 0.5, rate: 200K/s}
        policy: {type: equal, fraction: 0.8}
        reclaim:
          %s
        """.formatted(seed, r.nextBoolean() ? "ept" : "shadow", maxA, minB, reclaim);
    RunResult result = Machines.run(yaml);
    assertThat(result.failure()).as(yaml).isNull();
    long maxPages = maxA * 256L;
    long minPages = minB * 256L;
    boolean reachedMin = false;
    for (RunResult.Sample s : result.timeSeries()) {
      if (s.vm().equals("a")) {
        assertThat(backed(s)).as("a at %d ns", s.timeNanos()).isLessThanOrEqualTo(maxPages);
      } else {
        reachedMin |= backed(s) >= minPages;
        if (reachedMin) {
          assertThat(backed(s)).as("b at %d ns", s.timeNanos()).isGreaterThanOrEqualTo(minPages);
        }
      }
    }
    assertThat(reachedMin).isTrue();
    // a was held at its limit: its techniques took pages from it.
    assertThat(Machines.metric(result, "a", "toy_swapped") + Machines.metric(result, "a", "toy_ballooned"))
        .isPositive();
    assertThat(result.host().get("oracle_checks").longValue()).isPositive();
  }

  @Test
  void aLimitWithNoTechniqueToKeepItIsRefusedUpFront() {
    assertThatThrownBy(() -> Machines.experiment("""
        vms:
          - {name: a, memory: 32MiB, max: 16MiB, processes: [{workload: {type: idle}}]}
        """))
        .isInstanceOf(ExperimentException.class)
        .hasMessage("test.yaml:2: vms[0].max: expected no limit below the VM's memory (32MiB) unless a reclamation "
            + "technique (reclaim:) can keep the VM there, got '16MiB'");
  }

  @Test
  void reservationsBeyondHostMemoryAreRefused() {
    assertThatThrownBy(() -> Machines.experiment("""
        host: {memory: 64MiB}
        vms:
          - {name: a, memory: 48MiB, min: 40MiB, processes: [{workload: {type: idle}}]}
          - {name: b, memory: 48MiB, min: 40MiB, processes: [{workload: {type: idle}}]}
        """))
        .isInstanceOf(ExperimentException.class)
        .hasMessageStartingWith("test.yaml:4: vms[1].min: expected reservations that fit together in host.memory 64MiB");
  }

  @Test
  void aLimitNoTechniqueCanKeepStopsTheRunWithItsResultsSoFar() {
    RunResult r = Machines.run("""
        duration: 2s
        verify: true
        host: {memory: 64MiB}
        vms:
          - name: a
            memory: 32MiB
            max: 8MiB
            processes:
              - workload: {type: uniform, footprint: 16MiB, writes: 0.5, rate: 200K/s}
        reclaim:
          toy-hand: {}
        """);
    assertThat(r.partial()).isTrue();
    assertThat(r.failure()).matches("vm a reached its limit at \\d\\.\\d{3} s: max 8MiB \\(2048 pages\\) are backed "
        + "and no reclamation technique could take a page from it");
    assertThat(Machines.metric(r, "a", MetricNames.PRIVATE)).isEqualTo(2048);
  }

  @Test
  void inTheLowStateAVmAboveItsTargetWaits() {
    // No technique frees anything: once the host is low, both VMs stay above target and wait.
    RunResult r = Machines.run("""
        duration: 2s
        host: {memory: 48MiB}
        vms:
          - {name: a, memory: 32MiB, processes: [{workload: {type: uniform, footprint: 24300KiB, rate: 200K/s}}]}
          - {name: b, memory: 32MiB, processes: [{workload: {type: uniform, footprint: 24300KiB, rate: 200K/s}}]}
        policy: {type: equal, fraction: 0.5}
        reclaim:
          toy-hand: {}
        """);
    assertThat(r.host().get(MetricNames.HOST_STATE).longValue()).isEqualTo(3);
    assertThat(Machines.metric(r, "a", MetricNames.BLOCKED_NS) + Machines.metric(r, "b", MetricNames.BLOCKED_NS))
        .isPositive();
  }
}
