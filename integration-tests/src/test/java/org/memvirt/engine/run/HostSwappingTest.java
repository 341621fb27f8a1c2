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

/** The bundled swapper ({@code reclaim: {swap: ...}}) on whole machines. */
class HostSwappingTest {
  /** Two VMs that together want 1.5× the host, both guests swapping to their own devices too. */
  private static final String OVERCOMMITTED = """
      seed: %d
      duration: 2s
      verify: true
      host: {memory: 48MiB}
      mmu: {type: %s}
      vms:
        - name: a
          memory: 32MiB
          guest: {swap: 64MiB, replacement: %s}
          processes:
            - workload: {type: uniform, footprint: 40MiB, writes: 0.5, rate: 200K/s}
        - name: b
          memory: 32MiB
          processes:
            - workload: {type: zipf, footprint: 24MiB, writes: 0.3, rate: 200K/s, content: {zero: 0.2, compressed: 0.4}}
      """;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {31, 32, 33, 34, 35, 36, 37, 38})
  void everyWriteIsKeptWithSwapAloneAndWithTheTestTechniques(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    String reclaim = new String[] {
        "reclaim:\n  swap: {}",
        "reclaim:\n  swap: {victims: clock, device: disk}",
        "reclaim:\n  swap: {mapper: true}\n  toy-balloon: {}\npolicy: {type: equal, fraction: 0.8}",
        "reclaim:\n  swap: {compression: true, mapper: true}",
        "reclaim:\n  swap: {compression: true, victims: clock}\n  toy-share: {}\npolicy: {type: equal, fraction: 0.8}",
        "reclaim:\n  toy-share: {}\n  swap: {}\n  toy-balloon: {}\npolicy: {type: equal, fraction: 0.8}"}[r.nextInt(6)];
    String yaml = OVERCOMMITTED.formatted(seed, r.nextBoolean() ? "ept" : "shadow",
        new String[] {"fifo", "lru", "clock"}[r.nextInt(3)]) + reclaim + "\n";
    RunResult result = Machines.run(yaml);
    assertThat(result.failure()).as(yaml).isNull();
    // Something took memory back: the swapper, or with it the balloon or the sharer.
    long taken = 0;
    for (String counter : new String[] {"pswpout", "swap_zero_pages", "toy_ballooned", "toy_merged"}) {
      taken += Machines.metric(result, "a", counter) + Machines.metric(result, "b", counter);
    }
    assertThat(taken).as(yaml).isPositive();
    if (!reclaim.contains("toy-")) {
      assertThat(Machines.metric(result, "a", "pswpout") + Machines.metric(result, "b", "pswpout")).as(yaml)
          .isPositive();
    }
    assertThat(result.host().get("oracle_checks").longValue()).as(yaml).isPositive();
  }

  @Test
  void eachSwapInStallsTheVcpuForTheDevicesLatency() {
    // Every other cost that virtualization adds set to 0: what is left is the swap-ins.
    String yaml = OVERCOMMITTED.formatted(1, "ept", "clock")
        + "reclaim:\n  swap: {device: disk}\n"
        + "costs: {walk_ref: 0, vm_exit: 0, zero_frame: 0, ept_violation: 0}\n";
    RunResult r = Machines.run(yaml);
    for (String vm : new String[] {"a", "b"}) {
      long in = Machines.metric(r, vm, "pswpin_disk");
      assertThat(Machines.metric(r, vm, MetricNames.ELAPSED_NS) - Machines.metric(r, vm, MetricNames.NATIVE_ELAPSED_NS))
          .as(vm).isEqualTo(in * 8_000_000);
    }
    assertThat(Machines.metric(r, "a", "pswpin_disk")).isPositive();
  }

  @Test
  void badSettingsGetOneLineNamingTheKey() {
    String base = OVERCOMMITTED.formatted(1, "ept", "clock");
    assertThatThrownBy(() -> Experiments.validate(Machines.experiment(base + "reclaim:\n  swap: {victims: lru}\n"),
        Machines.REGISTRY))
        .isInstanceOf(ExperimentException.class)
        .hasMessage("test.yaml:17: reclaim.swap.victims: expected one of random, clock, got 'lru'");
    assertThatThrownBy(() -> Experiments.validate(Machines.experiment(base + "reclaim:\n  swap: {size: 16MiB}\n"),
        Machines.REGISTRY))
        .isInstanceOf(ExperimentException.class)
        .hasMessageStartingWith("test.yaml:17: reclaim.swap.size: expected a device per VM of at least memory - min, "
            + "32768KiB for vm a");
  }

  @Test
  void inTheSoftStateSwappingActsWhenNoMilderTechniqueCan() {
    // Two idle guests leave about 3% of the host free: the soft state, where ESX balloons.
    // With no balloon, the swapper (a hard-state technique) takes the VMs to their targets.
    String idle = "{type: idle, footprint: 23780KiB, active: 4KiB, writes: 1, rate: 200K/s}";
    RunResult r = Machines.run("""
        duration: 2s
        verify: true
        host: {memory: 48MiB, reclaim_period: 100ms}
        metrics: {period: 100ms}
        vms:
          - {name: a, memory: 32MiB, processes: [{workload: %s}]}
          - {name: b, memory: 32MiB, processes: [{workload: %s}]}
        policy: {type: equal, fraction: 0.8}
        reclaim:
          swap: {}
        """.formatted(idle, idle));
    assertThat(r.timeSeries()).allSatisfy(s -> assertThat(s.values().get(MetricNames.HOST_STATE)).isLessThanOrEqualTo(1));
    assertThat(r.timeSeries()).anySatisfy(s -> assertThat(s.values().get(MetricNames.HOST_STATE)).isEqualTo(1));
    assertThat(Machines.metric(r, "a", "pswpout") + Machines.metric(r, "b", "pswpout")
        + Machines.metric(r, "a", "swap_zero_pages") + Machines.metric(r, "b", "swap_zero_pages")).isPositive();
    long target = (long) (48L * 256 * 0.8) / 2;
    for (String vm : new String[] {"a", "b"}) {
      // At its target, give or take its one active page, which may come back between rounds.
      assertThat(Machines.metric(r, vm, MetricNames.PRIVATE)).isBetween(target - 1, target + 1);
    }
  }
}
