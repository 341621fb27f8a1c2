package org.memvirt.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.memvirt.api.MetricNames;
import org.memvirt.engine.config.ExperimentException;
import org.memvirt.engine.experiment.Experiment;
import org.memvirt.engine.host.FrameTableViolation;
import org.memvirt.engine.report.RunResult;

/**
 * The reclamation and allocation-policy SPIs, driven by small implementations written
 * against the api alone (see {@link TestPlugin}), on an overcommitted host.
 */
class ReclamationSpiTest {
  private static final String OVERCOMMITTED = """
      duration: 3s
      verify: true
      host: {memory: 48MiB}
      vms:
        - name: a
          memory: 32MiB
          processes:
            - workload: {type: uniform, footprint: 24MiB, writes: 0.5, rate: 200K/s}
        - name: b
          memory: 32MiB
          processes:
            - workload: {type: uniform, footprint: 24MiB, writes: 0.5, rate: 200K/s}
      policy: {type: equal, fraction: 0.9}
      """;

  @Test
  void policyTargetsAndASwapperKeepAnOvercommittedHostRunning() {
    RunResult r = Machines.run(OVERCOMMITTED + "reclaim:\n  toy-swap: {}\n");
    long hostFrames = 48L * 256;
    long target = (long) (hostFrames * 0.9) / 2;
    for (String vm : new String[] {"a", "b"}) {
      assertThat(Machines.metric(r, vm, MetricNames.TARGET)).isEqualTo(target);
      assertThat(Machines.metric(r, vm, "toy_swapped")).isGreaterThan(0);
      assertThat(Machines.metric(r, vm, "toy_swapped_in")).isGreaterThan(0);
    }
    long consumed = Machines.metric(r, "a", MetricNames.CONSUMED) + Machines.metric(r, "b", MetricNames.CONSUMED);
    assertThat(consumed + r.host().get("host_free_frames").longValue()).isEqualTo(hostFrames);
  }

  @Test
  void aBalloonTakesGuestPagesThroughTheGuestOs() {
    RunResult r = Machines.run(OVERCOMMITTED + "reclaim:\n  toy-balloon: {}\n  toy-swap: {}\n");
    long ballooned = Machines.metric(r, "a", "toy_ballooned") + Machines.metric(r, "b", "toy_ballooned");
    assertThat(ballooned).isGreaterThan(0);
    // The guest gave up pages it was using: it had to swap to its own device.
    assertThat(Machines.metric(r, "a", MetricNames.GUEST_SWAP_OUTS)
        + Machines.metric(r, "b", MetricNames.GUEST_SWAP_OUTS)).isGreaterThan(0);
  }

  @Test
  void theFrameTableCheckCatchesALeakedFrame() {
    // Two idle guests touch 23.5 MiB each (free memory falls to ~1.8%: HARD), then re-read
    // one page. The policy sets targets at 500 ms; from the next reclamation round the
    // swapper takes pages without freeing their frames.
    String idle = "{type: idle, footprint: 24064KiB, active: 4KiB, writes: 1, rate: 200K/s}";
    String yaml = """
        duration: 800ms
        verify: true
        host: {memory: 48MiB, reclaim_period: 100ms}
        vms:
          - {name: a, memory: 32MiB, processes: [{workload: %s}]}
          - {name: b, memory: 32MiB, processes: [{workload: %s}]}
        policy: {type: equal, fraction: 0.9}
        reclaim:
          toy-swap: {leaky: true}
        """.formatted(idle, idle);
    assertThatThrownBy(() -> Machines.run(yaml))
        .isInstanceOf(FrameTableViolation.class)
        .hasMessageMatching("frame table: host frame \\d+ is private to vm [ab] guest page \\d+, which no longer maps it: it is (mapped to host frame \\d+|swapped, held by reclaim technique toy-swap) \\(a leaked frame\\)");
    // The same run with a correct swapper passes the check.
    RunResult ok = Machines.run(yaml.replace("{leaky: true}", "{}"));
    assertThat(Machines.metric(ok, "a", "toy_swapped")).isPositive();
  }

  @Test
  void withoutReclamationAnOvercommittedHostRunsOutWithAOneLineErrorAndPartialResults() {
    RunResult r = Machines.run(OVERCOMMITTED);
    assertThat(r.partial()).isTrue();
    assertThat(r.failure()).startsWith("host out of memory at ")
        .contains("no reclamation technique is configured")
        .doesNotContain("\n");
    assertThat(r.simulatedNanos()).isPositive().isLessThan(r.durationNanos());
    assertThat(Machines.metric(r, "a", MetricNames.ACCESSES)).isPositive();
  }

  @Test
  void unknownTechniquesListTheKnownOnes() {
    assertThatThrownBy(() -> Machines.run(OVERCOMMITTED + "reclaim:\n  compress: {}\n"))
        .isInstanceOf(ExperimentException.class)
        .hasMessage("test.yaml:15: reclaim.compress: expected a known reclamation technique (balloon, sharing, swap, toy-balloon, toy-broken, toy-hand, toy-share, toy-swap)");
  }

  @Test
  void aTechniquesCostsAreKnownByNameOverridableAndResolved() {
    String yaml = OVERCOMMITTED + "reclaim:\n  toy-swap: {}\n";
    Experiment e = Machines.experiment(yaml + "costs: {toy_swap_in: 5000}\n");
    Experiments.validate(e, Machines.REGISTRY);
    assertThat(e.resolved().toString()).contains("toy_swap_in=5000").contains("guest_swap_in=100000");
    assertThatThrownBy(() -> Experiments.validate(Machines.experiment(yaml + "costs: {toy_swap: 1}\n"),
        Machines.REGISTRY))
        .isInstanceOf(ExperimentException.class)
        .hasMessageContaining("costs.toy_swap: expected one of the cost names")
        .hasMessageContaining("toy_swap_in");
  }

  @Test
  void aSlowSwapDeviceSlowsTheVmsDown() {
    // The same machine with a free test swap device and with a disk's 8 ms per swap-in.
    String yaml = OVERCOMMITTED + "reclaim:\n  toy-swap: {}\n";
    RunResult free = Machines.run(yaml);
    RunResult disk = Machines.run(yaml + "costs: {toy_swap_in: 8000000}\n");
    for (String vm : new String[] {"a", "b"}) {
      long swapIns = Machines.metric(disk, vm, "toy_swapped_in");
      assertThat(swapIns).isPositive();
      // Every swap-in stalled its vCPU 8 ms: the VM did less work in the same 3 s.
      assertThat(Machines.metric(disk, vm, MetricNames.ELAPSED_NS) - Machines.metric(disk, vm,
          MetricNames.NATIVE_ELAPSED_NS)).isGreaterThanOrEqualTo(swapIns * 8_000_000);
      assertThat(Machines.metric(disk, vm, MetricNames.ACCESSES)).isLessThan(Machines.metric(free, vm,
          MetricNames.ACCESSES));
      assertThat(disk.vm(vm).metrics().get(MetricNames.ELAPSED_SLOWDOWN).doubleValue())
          .isGreaterThan(free.vm(vm).metrics().get(MetricNames.ELAPSED_SLOWDOWN).doubleValue());
    }
  }

  @Test
  void swappingBallooningAndSharingOnOneVmAreSafeTogether() {
    // Half of every write stores content the two guests share: the sharer merges it, the
    // balloon and the swapper ask the sharer for the pages they pick, writes break sharing.
    String yaml = OVERCOMMITTED.replace("writes: 0.5, rate: 200K/s}", "writes: 0.5, rate: 200K/s, content: {shared: 0.2}}")
        .replace("fraction: 0.9", "fraction: 0.6").replace("duration: 3s", "duration: 6s")
        .replace("host: {memory: 48MiB}", "host: {memory: 40MiB}")
        + "reclaim:\n  toy-swap: {}\n  toy-balloon: {}\n  toy-share: {period: 1s}\n";
    RunResult r = Machines.run(yaml);
    assertThat(r.failure()).isNull();
    for (String counter : new String[] {"toy_merged", "toy_cow", "toy_ballooned", "toy_swapped"}) {
      assertThat(Machines.metric(r, "a", counter) + Machines.metric(r, "b", counter)).as(counter).isPositive();
    }
    assertThat(r.host().get(MetricNames.SHARED_COMMON).longValue()).isPositive();
    assertThat(r.host().get("oracle_checks").longValue()).isPositive();
  }
}
