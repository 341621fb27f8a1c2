package org.memvirt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.IntUnaryOperator;
import org.memvirt.api.MetricNames;
import org.memvirt.engine.experiment.Experiment;
import org.memvirt.engine.report.RunResult;
import org.memvirt.engine.run.Experiments;

/**
 * {@code memvirt bench --scaling}: how wall time grows with the work. Three series of runs on
 * one 64 GiB host under nested paging, each VM running a zipf workload over 64 MiB at 10 M
 * accesses per simulated second: one VM run for longer and longer (wall time against
 * accesses); more and more such VMs for one simulated second (against VMs, and so against
 * accesses too); and one such VM beside more and more idle VMs of 4 GiB that touch 16 MiB
 * and then nothing (the cost of an idle VM). Each run is timed whole, machine built and run.
 */
final class ScalingBench {
  private static final int[] DURATIONS_MS = {500, 1000, 2000, 4000};
  private static final int[] ACTIVE_VMS = {1, 2, 4, 8};
  private static final int[] IDLE_VMS = {0, 16, 64, 256};
  private static final String ACTIVE = "{type: zipf, footprint: 64MiB, writes: 0.3, rate: 10M/s}";

  private final BenchRuns runs;
  private final PrintWriter out;
  /** scaling.csv's rows so far, without the partial column. */
  private final StringBuilder rows = new StringBuilder();

  ScalingBench(BenchRuns runs, PrintWriter out) {
    this.runs = runs;
    this.out = out;
  }

  /** Runs the three series, prints a line per run, and writes scaling.csv and the two charts when {@code folder} is given. */
  void run(OutputFolder folder) throws IOException {
    double[][] longer;
    double[][] active;
    double[][] idle;
    try {
      runs.run(machine(1, 0, 200)); // JIT warm-up
      longer = series("longer", DURATIONS_MS.length, i -> 1, i -> 0, i -> DURATIONS_MS[i]);
      active = series("active-vms", ACTIVE_VMS.length, i -> ACTIVE_VMS[i], i -> 0, i -> 1000);
      idle = series("idle-vms", IDLE_VMS.length, i -> 1, i -> IDLE_VMS[i], i -> 1000);
    } catch (BenchRuns.Stopped e) {
      // The runs measured so far, marked partial; no charts of half the series.
      if (folder != null) {
        folder.write("scaling.csv", csv(true));
      }
      throw e;
    }
    if (folder == null) {
      return;
    }
    folder.write("scaling.csv", csv(false));
    folder.write("scaling-accesses.png", new Plot("Wall time against accesses", "accesses (millions)",
        "wall time (s)").linearOnly()
        .line("one VM, run longer", longer[0], longer[1])
        .line("more VMs, 10 M accesses each", active[0], active[1])
        .finish().png());
    double[] activeVms = new double[ACTIVE_VMS.length];
    for (int i = 0; i < activeVms.length; i++) {
      activeVms[i] = ACTIVE_VMS[i];
    }
    double[] idleVms = new double[IDLE_VMS.length];
    for (int i = 0; i < idleVms.length; i++) {
      idleVms[i] = IDLE_VMS[i];
    }
    folder.write("scaling-vms.png", new Plot("Wall time against VMs", "VMs", "wall time (s)").linearOnly()
        .line("active VMs, 10 M accesses each", activeVms, active[1])
        .line("idle VMs beside one active VM", idleVms, idle[1])
        .finish().png());
    out.println("wrote scaling.csv, scaling-accesses.png and scaling-vms.png to " + folder.dir());
  }

  /** The runs of one series, by point: accesses (millions) and wall seconds. */
  private double[][] series(String name, int points, IntUnaryOperator active, IntUnaryOperator idle,
      IntUnaryOperator durationMs) {
    double[] accesses = new double[points];
    double[] wall = new double[points];
    for (int i = 0; i < points; i++) {
      int a = active.applyAsInt(i);
      int q = idle.applyAsInt(i);
      Experiment e = machine(a, q, durationMs.applyAsInt(i));
      long t0 = System.nanoTime();
      RunResult r = runs.run(e);
      wall[i] = (System.nanoTime() - t0) / 1e9;
      long n = r.host().get(MetricNames.ACCESSES).longValue();
      accesses[i] = n / 1e6;
      rows.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%.3f,", name, a, q, n, wall[i])).append('\n');
      out.printf(Locale.ROOT, "scaling: %-10s %3d active + %3d idle VMs: %,12d accesses in %6.2f s wall = %,.0f "
          + "accesses/s%n", name, a, q, n, wall[i], n / wall[i]);
      out.flush();
    }
    return new double[][] {accesses, wall};
  }

  /** scaling.csv: a row per run, {@code partial} when a signal stopped the benchmark before its last. */
  private String csv(boolean partial) {
    return "series,vms,idle_vms,accesses,wall_s,partial\n" + rows.toString().replace(",\n", "," + partial + "\n");
  }

  private static Experiment machine(int active, int idle, int durationMs) {
    StringBuilder yaml = new StringBuilder();
    yaml.append("name: scaling\nduration: ").append(durationMs).append("ms\nmetrics: {period: 100ms}\n")
        .append("host: {memory: 64GiB}\nvms:\n")
        .append("  - {name: active, copies: ").append(active).append(", memory: 1GiB, processes: [{workload: ")
        .append(ACTIVE).append("}]}\n");
    if (idle > 0) {
      yaml.append("  - {name: idle, copies: ").append(idle).append(", memory: 4GiB, processes: [{workload: ")
          .append("{type: idle, footprint: 16MiB, writes: 1, rate: 10M/s}}]}\n");
    }
    return Experiments.parse(yaml.toString(), "(bench)");
  }
}
