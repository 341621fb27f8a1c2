package org.memvirt.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.memvirt.api.MetricNames;
import org.memvirt.engine.run.Experiments;

/**
 * The memory part of {@code memvirt bench}: the heap per mapped guest page of a 64 GiB host
 * whose two 30 GiB VMs touch {@code guestMemory} each, and the heap per VM of many 4 GiB VMs
 * that touch 16 MiB each (what memory nobody touched costs).
 */
final class FootprintBench {
  private final BenchRuns runs;
  private final PrintWriter out;

  FootprintBench(BenchRuns runs, PrintWriter out) {
    this.runs = runs;
    this.out = out;
  }

  void run(String guestMemory, int idleVms) {
    MeasuredRun big = runs.measure(Experiments.parse("""
        name: memory-footprint
        duration: 1h
        host: {memory: 64GiB}
        vms:
          - name: a
            memory: 30GiB
            processes: [{workload: {type: idle, footprint: %s, writes: 1, rate: 100M/s}}]
          - name: b
            memory: 30GiB
            processes: [{workload: {type: idle, footprint: %s, writes: 1, rate: 100M/s}}]
        """.formatted(guestMemory, guestMemory), "(bench)"));
    long mapped = consumed(big);
    long faults = big.result().host().get(MetricNames.PF_GUEST).longValue();
    out.printf(Locale.ROOT, "memory: 64GiB host, 2 x 30GiB VMs, %,d guest pages mapped (%,d faults in %.2f s wall)%n",
        mapped, faults, big.seconds());
    out.printf(Locale.ROOT, "memory: heap %,d MiB for the machine = %.1f bytes per mapped guest page%n",
        big.heapBytes() >> 20, big.heapBytes() / (double) mapped);
    out.flush();

    MeasuredRun idle = runs.measure(Experiments.parse("""
        name: idle-vms
        duration: 2s
        metrics: {period: 1s}
        host: {memory: 128GiB}
        vms:
          - name: vm
            copies: %d
            memory: 4GiB
            processes: [{workload: {type: idle, footprint: 16MiB, writes: 1, rate: 10M/s}}]
        """.formatted(idleVms), "(bench)"));
    out.printf(Locale.ROOT, "idle VMs: %d x 4GiB on a 128GiB host, %,d guest pages touched in all, built and run in "
        + "%.2f s wall%n", idleVms, consumed(idle), idle.seconds());
    out.printf(Locale.ROOT, "idle VMs: heap %,d MiB for the machine = %.2f MiB per VM (the host's frame table "
        + "included: 16 bytes per frame used)%n", idle.heapBytes() >> 20,
        idle.heapBytes() / (double) idleVms / (1 << 20));
    out.flush();
  }

  /** Guest pages backed in all of a run's VMs at its end. */
  private static long consumed(MeasuredRun run) {
    return run.result().vms().stream().mapToLong(v -> v.metrics().get(MetricNames.CONSUMED).longValue()).sum();
  }
}
