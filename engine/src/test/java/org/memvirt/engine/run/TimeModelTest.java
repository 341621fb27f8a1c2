package org.memvirt.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.memvirt.api.MetricNames;
import org.memvirt.engine.report.RunResult;

/**
 * Closed-loop time: a workload's rate is its pace natively, and whatever virtualization adds
 * to an access stalls its vCPU, so that a fixed piece of work takes longer when memory is
 * slower.
 */
class TimeModelTest {
  /** 100 pages written once each, at 1M accesses/s (1000 ns apart, exact in binary). */
  private static final String TRACE = """
      duration: 10s
      host: {memory: 64MiB}
      costs: {walk_ref: 0, vm_exit: 0, zero_frame: 0, ept_violation: 0, script_stall: %d}
      vms:
        - name: vm
          memory: 16MiB
          processes:
            - workload: {type: script, pages: "%s", write: true, rate: 1M/s}
      """.formatted(0, IntStream.range(0, 100).mapToObj(Integer::toString).collect(Collectors.joining(",")));

  private static RunResult trace(long stallNanos) {
    return Machines.run(TRACE.replace("script_stall: 0", "script_stall: " + stallNanos));
  }

  @Test
  void withNoExtraCostsTheWorkTakesItsNativeTime() {
    RunResult r = trace(0);
    long accesses = Machines.metric(r, "vm", MetricNames.ACCESSES);
    assertThat(accesses).isEqualTo(100);
    assertThat(Machines.metric(r, "vm", MetricNames.NATIVE_ELAPSED_NS)).isEqualTo(100 * 1000);
    assertThat(Machines.metric(r, "vm", MetricNames.ELAPSED_NS))
        .isEqualTo(Machines.metric(r, "vm", MetricNames.NATIVE_ELAPSED_NS));
  }

  @Test
  void aStallOnEveryAccessMakesTheWorkExactlyThatMuchLonger() {
    RunResult r = trace(10_000);
    assertThat(Machines.metric(r, "vm", MetricNames.NATIVE_ELAPSED_NS)).isEqualTo(100 * 1000);
    assertThat(Machines.metric(r, "vm", MetricNames.ELAPSED_NS)).isEqualTo(100 * 1000 + 100 * 10_000);
    // The finite workload finished later in simulated time too.
    assertThat(Machines.metric(r, "vm", MetricNames.SIMULATED_NS)).isEqualTo(100 * 11_000);
    assertThat(r.vm("vm").metrics().get(MetricNames.ELAPSED_SLOWDOWN).doubleValue()).isEqualTo(11.0);
  }

  @Test
  void cyclesStallAtTheHostsClockRate() {
    // Only exits cost: each stalls 1200 cycles, 480 ns at 2.5 GHz, 1200 ns at 1 GHz.
    String yaml = TRACE.replace("vm_exit: 0", "vm_exit: 1200");
    RunResult fast = Machines.run(yaml);
    RunResult slow = Machines.run(yaml.replace("host: {memory: 64MiB}", "host: {memory: 64MiB, cpu_ghz: 1}"));
    long exits = Machines.metric(fast, "vm", MetricNames.EXITS);
    assertThat(exits).isPositive().isEqualTo(Machines.metric(slow, "vm", MetricNames.EXITS));
    assertThat(Machines.metric(fast, "vm", MetricNames.ELAPSED_NS)).isEqualTo(100 * 1000 + exits * 480);
    assertThat(Machines.metric(slow, "vm", MetricNames.ELAPSED_NS)).isEqualTo(100 * 1000 + exits * 1200);
  }

  @Test
  void theWarmUpResetsCountersAndTheClocksItMeasures() {
    String yaml = """
        duration: 2s
        host: {memory: 256MiB}
        vms:
          - name: vm
            memory: 64MiB
            processes:
              - workload: {type: uniform, footprint: 8MiB, writes: 0.5, rate: 1M/s}
        """;
    RunResult cold = Machines.run(yaml);
    Simulation warmSim = Machines.simulation(yaml + "measure: {after: 1s}\n");
    RunResult warm = warmSim.run();
    // Progress counts every access, the warm-up's included: the same stream as the cold run.
    assertThat(warmSim.accesses()).isEqualTo(Machines.metric(cold, "vm", MetricNames.ACCESSES));
    long accesses = Machines.metric(warm, "vm", MetricNames.ACCESSES);
    // Counters and the native clock start at the warm-up: one access per native microsecond.
    assertThat(Machines.metric(warm, "vm", MetricNames.NATIVE_ELAPSED_NS)).isEqualTo(accesses * 1000);
    assertThat(Machines.metric(warm, "vm", MetricNames.ELAPSED_NS)).isBetween(999_000_000L, 1_001_000_000L);
    assertThat(accesses).isLessThan(Machines.metric(cold, "vm", MetricNames.ACCESSES) * 6 / 10);
    // The first touches (2048 pages and their tables) fell in the warm-up.
    assertThat(Machines.metric(cold, "vm", MetricNames.FRAMES_ZEROED)).isGreaterThan(2048);
    assertThat(Machines.metric(warm, "vm", MetricNames.FRAMES_ZEROED)).isZero();
    // Gauges are levels, not counts: the warm-up leaves them alone.
    assertThat(Machines.metric(warm, "vm", MetricNames.PRIVATE)).isEqualTo(Machines.metric(cold, "vm", MetricNames.PRIVATE));
  }

  /** {@code measure.after: 0s} turns the warm-up off: the run is the one without the key. */
  @Test
  void aWarmUpOfZeroIsNone() {
    String yaml = """
        duration: 1s
        host: {memory: 256MiB}
        vms:
          - name: vm
            memory: 64MiB
            processes:
              - workload: {type: uniform, footprint: 8MiB, writes: 0.5, rate: 1M/s}
        """;
    RunResult none = Machines.run(yaml);
    RunResult zero = Machines.run(yaml + "measure: {after: 0s}\n");
    assertThat(zero.vms().get(0).metrics()).isEqualTo(none.vms().get(0).metrics());
    assertThat(zero.host()).isEqualTo(none.host());
    assertThat(Machines.experiment(yaml + "measure: {after: 0s}\n").measureAfterNanos).isZero();
  }
}
