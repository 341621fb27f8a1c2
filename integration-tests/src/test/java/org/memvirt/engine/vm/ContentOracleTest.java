package org.memvirt.engine.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.memvirt.api.MetricNames;
import org.memvirt.engine.report.RunResult;
import org.memvirt.engine.run.Machines;

/**
 * The content oracle holds on randomized experiments where the guest is smaller than its
 * footprint (so it swaps), and catches a technique that loses writes.
 */
class ContentOracleTest {
  private static String mix(String replacement, long seed) {
    return mix("ept", false, replacement, seed);
  }

  private static String mix(String mmu, boolean tagged, String replacement, long seed) {
    return """
        seed: %d
        duration: 2s
        verify: true
        host: {memory: 256MiB}
        mmu: {type: %s, tlb: {tagged: %s}}
        vms:
          - name: a
            memory: 8MiB
            vcpus: 2
            guest: {replacement: %s, swap: 64MiB}
            processes:
              - workload: {type: zipf, footprint: 6MiB, writes: 0.4, fetches: 0.1, rate: 100K/s, switch_rate: 500/s}
              - workload: {type: uniform, footprint: 4MiB, writes: 0.5, rate: 100K/s, content: {zero: 0.2, shared: 0.3}}
              - workload: {type: sequential, footprint: 3MiB, writes: 0.5, stride: 512, rate: 100K/s}
          - name: b
            memory: 6MiB
            guest: {replacement: %s, swap: 64MiB}
            processes:
              - workload: {type: phases, footprint: 12MiB, working_set: 2MiB, phase: 5K, writes: 0.3, rate: 100K/s}
              - workload: {type: idle, footprint: 2MiB, active: 64KiB, rate: 10K/s}
              - workload: {type: uniform, footprint: 512KiB, writes: 0.5, rate: 100K/s, lifetime: 3K}
        """.formatted(seed, mmu, tagged, replacement, replacement);
  }

  @ParameterizedTest(name = "{0}, tagged {1}, {2}, seed {3}")
  @CsvSource({"shadow, false, clock, 11", "shadow, true, lru, 12", "shadow, false, fifo, 13", "ept, true, clock, 14"})
  void holdsUnderEveryMmuWhileTheGuestSwapsAndProcessesComeAndGo(String mmu, boolean tagged, String replacement,
      long seed) {
    RunResult r = Machines.run(mix(mmu, tagged, replacement, seed));
    assertThat(r.host().get("oracle_checks").longValue()).isGreaterThan(40_000);
    assertThat(Machines.metric(r, "a", MetricNames.GUEST_SWAP_OUTS)).isPositive();
    assertThat(Machines.metric(r, "b", MetricNames.GUEST_SWAP_INS)).isPositive();
    assertThat(Machines.metric(r, "b", MetricNames.PROCESS_EXITS)).isPositive();
  }

  @ParameterizedTest(name = "{0}, host 2 MiB pages {1}")
  @CsvSource({"ept, false", "ept, true", "shadow, false", "shadow, true"})
  void holdsWithGuestHugePagesAndTheHypervisorSplittingLargeMappings(String mmu, boolean hostLarge) {
    String yaml = """
        seed: 31
        duration: 2s
        verify: true
        host: {memory: 28MiB, large_pages: %s}
        mmu: {type: %s}
        vms:
          - name: a
            memory: 24MiB
            guest: {huge_pages: 8MiB, swap: 64MiB}
            processes:
              - workload: {type: uniform, footprint: 12MiB, writes: 0.5, rate: 200K/s, large_pages: true}
              - workload: {type: zipf, footprint: 8MiB, writes: 0.3, rate: 200K/s}
          - name: b
            memory: 16MiB
            processes:
              - workload: {type: uniform, footprint: 12MiB, writes: 0.5, rate: 200K/s}
        policy: {type: equal}
        reclaim:
          toy-swap: {}
        """.formatted(hostLarge ? "16MiB" : "0", mmu);
    RunResult r = Machines.run(yaml);
    assertThat(r.host().get("oracle_checks").longValue()).isGreaterThan(40_000);
    assertThat(Machines.metric(r, "a", "toy_swapped_in")).isPositive();
    if (hostLarge) {
      assertThat(Machines.metric(r, "a", "large_splits")).isPositive();
    }
  }

  @ParameterizedTest(name = "shadow, unsync {0}, root cache {1}")
  @CsvSource({"true, 0", "false, 1", "true, 4"})
  void holdsUnderShadowPagingWithTheHypervisorSwapping(boolean unsync, int roots) {
    String yaml = mix("shadow", false, "clock", 21).replace("host: {memory: 256MiB}", "host: {memory: 10MiB}")
        .replace("mmu: {type: shadow,", "mmu: {type: shadow, unsync: " + unsync + ", root_cache: " + roots + ",")
        + "reclaim:\n  toy-swap: {}\npolicy: {type: equal}\n";
    RunResult r = Machines.run(yaml);
    assertThat(Machines.metric(r, "a", "toy_swapped_in") + Machines.metric(r, "b", "toy_swapped_in")).isPositive();
    assertThat(r.host().get("oracle_checks").longValue()).isGreaterThan(40_000);
  }

  @ParameterizedTest(name = "{0}, seed {1}")
  @CsvSource({"clock, 1", "clock, 2", "lru, 3", "fifo, 4", "clock, 5"})
  void holdsWhileTheGuestSwaps(String replacement, long seed) {
    RunResult r = Machines.run(mix(replacement, seed));
    assertThat(r.host().get("oracle_checks").longValue()).isGreaterThan(40_000);
    for (String vm : new String[] {"a", "b"}) {
      assertThat(Machines.metric(r, vm, MetricNames.GUEST_SWAP_OUTS)).as("guest swap-outs in " + vm).isPositive();
      assertThat(Machines.metric(r, vm, MetricNames.GUEST_SWAP_INS)).as("guest swap-ins in " + vm).isPositive();
    }
    assertThat(Machines.metric(r, "a", MetricNames.CONTEXT_SWITCHES)).isGreaterThan(0);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {7, 8})
  void holdsWhileTheHypervisorSwapsUnderTheGuest(long seed) {
    RunResult r = Machines.run(mix("clock", seed).replace("host: {memory: 256MiB}", "host: {memory: 10MiB}")
        + "reclaim:\n  toy-swap: {}\npolicy: {type: equal}\n");
    for (String vm : new String[] {"a", "b"}) {
      assertThat(Machines.metric(r, vm, "toy_swapped")).as("pages the hypervisor swapped from " + vm).isPositive();
      assertThat(Machines.metric(r, vm, "toy_swapped_in")).as("pages swapped back into " + vm).isPositive();
    }
    assertThat(r.host().get("oracle_checks").longValue()).isGreaterThan(40_000);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {7})
  void catchesATechniqueThatLosesWrites(long seed) {
    String yaml = mix("clock", seed).replace("host: {memory: 256MiB}", "host: {memory: 10MiB}")
        + "reclaim:\n  toy-swap: {lossy: true}\npolicy: {type: equal}\n";
    assertThatThrownBy(() -> Machines.run(yaml))
        .isInstanceOf(ContentOracleViolation.class)
        .hasMessageContaining("content oracle")
        .hasMessageContaining("but last wrote");
  }
}
