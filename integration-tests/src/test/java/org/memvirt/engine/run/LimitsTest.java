package org.memvirt.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memvirt.api.MetricNames;
import org.memvirt.engine.config.ExperimentException;
import org.memvirt.engine.report.RunResult;

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

  /**
   * A limit none of the configured techniques can hold the VM within is refused before the
   * run, with each technique's reason: a technique that does not say it can (toy-hand,
   * sharing alone), and a balloon in a guest without its driver.
   */
  @Test
  void aLimitNoConfiguredTechniqueCanHoldIsRefusedBeforeTheRun() {
    String vm = """
        duration: 2s
        host: {memory: 64MiB}
        vms:
          - name: a
            memory: 32MiB
            max: 8MiB
            %s
            processes:
              - workload: {type: uniform, footprint: 16MiB, writes: 0.5, rate: 200K/s}
        reclaim:
        %s
        """;
    assertThatThrownBy(() -> Machines.run(vm.formatted("", "  toy-hand: {}")))
        .isInstanceOf(ExperimentException.class)
        .hasMessage("test.yaml:6: vms[0].max: expected a limit the configured reclamation can hold vm a within, at "
            + "least 32MiB (toy-hand: it does not say that it can hold a VM within a limit); or a technique that holds "
            + "a VM lower, got '8MiB'");
    assertThatThrownBy(() -> Machines.run(vm.formatted("balloon: false", "  sharing: {}\n  balloon: {}")))
        .isInstanceOf(ExperimentException.class)
        .hasMessage("test.yaml:6: vms[0].max: expected a limit the configured reclamation can hold vm a within, at "
            + "least 32MiB (sharing: what sharing frees depends on the pages' content; balloon: vm a has no balloon "
            + "driver (balloon: false)); or a technique that holds a VM lower, got '8MiB'");
    // With its driver, a balloon holds a VM down to 35% of its memory (the cap, 65%, is 5324 of its 8192 pages).
    assertThatThrownBy(() -> Machines.run(vm.formatted("", "  balloon: {}")))
        .hasMessageContaining("at least 11472KiB (balloon: a balloon holds at most 65% of a VM's memory (cap))");
    // Host swapping holds it down to its reservation.
    assertThat(Machines.run(vm.formatted("", "  balloon: {}\n  swap: {}")).failure()).isNull();
  }

  /**
   * A limit a technique can hold in time but not at once (a balloon inflates on its driver's
   * time): the run stops when the VM reaches it, with the technique's own reason.
   */
  @Test
  void aLimitReachedBeforeTheBalloonInflatesStopsTheRunWithItsResultsSoFar() {
    RunResult r = Machines.run("""
        duration: 2s
        verify: true
        host: {memory: 64MiB}
        vms:
          - name: a
            memory: 32MiB
            max: 16MiB
            processes:
              - workload: {type: uniform, footprint: 24MiB, writes: 0.5, rate: 200K/s}
        reclaim:
          balloon: {}
        """);
    assertThat(r.partial()).isTrue();
    assertThat(r.failure()).matches("vm a reached its limit at \\d\\.\\d{3} s: max 16MiB \\(4096 pages\\) are backed "
        + "and the reclamation configured \\(balloon\\) could free no frame of vm a: balloon: a balloon frees pages on "
        + "its driver's time, never at once, and vm a: its balloon is inflating \\(\\d+ pages to go\\)");
    assertThat(Machines.metric(r, "a", MetricNames.PRIVATE)).isEqualTo(4096);
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
