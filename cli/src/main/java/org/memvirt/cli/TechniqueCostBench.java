package org.memvirt.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.memvirt.api.MetricNames;
import org.memvirt.engine.experiment.Experiment;
import org.memvirt.engine.run.Experiments;

/**
 * {@code memvirt bench --techniques}: the heap each reclamation technique adds per page it
 * holds. Each technique runs one machine twice on the same host, the same VM and the same
 * touched pages: once without the technique and once with it made to hold pages (a limit
 * that has host swapping take 13 GiB, a balloon target that inflates 10 GiB, 4 GiB of
 * zero pages to merge); the VM then keeps touching one page, so that its memory stays
 * allocated to the end. The difference in live heap after the run, over the pages the
 * technique holds, is its cost per page: its own structures, and whatever of the engine's
 * it makes grow.
 */
final class TechniqueCostBench {
  private final BenchRuns runs;
  private final PrintWriter out;

  TechniqueCostBench(BenchRuns runs, PrintWriter out) {
    this.runs = runs;
    this.out = out;
  }

  void run() {
    // Host swapping: the VM touches 14 GiB with a 1 GiB limit.
    measure("swap", MetricNames.SWAPPED, "swapped page",
        machine("60s", "{type: idle, footprint: 14GiB, active: 4KiB, writes: 1, rate: 1M/s}"),
        "max: 1GiB", "reclaim: {swap: {size: 16GiB}}");
    // Ballooning: a target of 6 GiB (within the cap of 65%) inflates the balloon by 10 GiB of pages the guest had free.
    measure("balloon", MetricNames.BALLOONED, "ballooned page",
        machine("600s", "{type: idle, footprint: 2GiB, active: 4KiB, writes: 1, rate: 100K/s}"),
        "balloon_to: 6GiB", "reclaim: {balloon: {}}");
    // Page sharing: 4 GiB of zero pages, merged by KSM's scanner.
    measure("sharing", MetricNames.SHARED, "shared page",
        machine("30s", "{type: idle, footprint: 4GiB, active: 4KiB, writes: 1, rate: 1M/s, content: {zero: 1}}"),
        "", "reclaim: {sharing: {scanner: ksm, pages_to_scan: 10000}}");
  }

  /** The benchmark's machine running {@code workload}, with a slot for a VM key and one for the reclaim section. */
  private static String machine(String duration, String workload) {
    return """
        duration: %s
        metrics: {period: 1s}
        host: {memory: 32GiB}
        vms:
          - name: vm
            memory: 16GiB
            %%s
            processes: [{workload: %s}]
        %%s
        """.formatted(duration, workload);
  }

  /** Runs {@code template} without and with the technique, and prints the heap it added per page of {@code metric}. */
  private void measure(String technique, String metric, String unit, String template, String vmKey,
      String reclaim) {
    Experiment without = Experiments.parse(("name: without-" + technique + "\n" + template).formatted("", ""),
        "(bench)");
    Experiment with = Experiments.parse(("name: with-" + technique + "\n" + template).formatted(vmKey, reclaim),
        "(bench)");
    MeasuredRun a = runs.measure(without);
    MeasuredRun b = runs.measure(with);
    long held = b.result().vms().get(0).metrics().get(metric).longValue();
    if (held == 0) {
      throw new IllegalStateException(technique + " held no pages: the benchmark's machine no longer makes it act");
    }
    // The frame table grows with the frames ever used; a technique that frees frames keeps
    // it smaller. That saving is the host's, not a cost of the technique: counted apart.
    long tableSaved = a.simulation().hostFrameTableBytes() - b.simulation().hostFrameTableBytes();
    out.printf(Locale.ROOT, "%s: holds %,d pages; heap %,d KiB without, %,d KiB with = %.1f bytes per %s, and the "
        + "frames it kept from use saved %.1f bytes per %s of frame table (%.1f s wall)%n", technique, held,
        a.heapBytes() >> 10, b.heapBytes() >> 10, (b.heapBytes() - a.heapBytes() + tableSaved) / (double) held, unit,
        tableSaved / (double) held, unit, b.seconds());
    out.flush();
  }
}
