package org.memvirt.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.memvirt.api.BadInputException;
import org.memvirt.api.MetricNames;
import org.memvirt.engine.experiment.Experiment;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.report.RunResult;
import org.memvirt.engine.run.Experiments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code memvirt bench}: end-to-end speed (the default experiment, scaled up), memory
 * footprint (heap bytes per mapped guest page on a large host), and what VMs that touch
 * little of their memory cost (heap per idle VM). For the translation hot path alone, see
 * the JMH benchmarks in bench/.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure end-to-end speed (accesses per second), heap bytes per mapped guest page, and heap per "
        + "idle VM.")
final class BenchCommand implements Callable<Integer> {
  @Mixin
  PluginOptions plugins;

  @Option(names = "--scale", defaultValue = "3",
      description = "Multiply the default experiment's duration by this (default ${DEFAULT-VALUE}).")
  int scale;

  @Option(names = "--guest-memory", defaultValue = "24GiB",
      description = "Guest memory each of the two VMs of the memory benchmark touches (default ${DEFAULT-VALUE}).")
  String guestMemory;

  @Option(names = "--idle-vms", defaultValue = "64",
      description = "VMs of 4 GiB, each touching 16 MiB, in the idle-VM memory benchmark (default ${DEFAULT-VALUE}).")
  int idleVms;

  @Option(names = "--scaling",
      description = "Instead, measure how wall time grows with accesses, with active VMs and with idle VMs.")
  boolean scaling;

  @Option(names = "--techniques",
      description = "Instead, measure the heap each reclamation technique adds per page it holds.")
  boolean techniques;

  @Option(names = "--out", paramLabel = "DIR",
      description = "With --scaling: write scaling.csv, scaling-accesses.png and scaling-vms.png here.")
  java.nio.file.Path out;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws java.io.IOException {
    PrintWriter out = spec.commandLine().getOut();
    PluginRegistry registry = plugins.registry();
    if (this.out != null && !scaling) {
      throw new BadInputException("--out: only with --scaling (the other benchmarks write no files)");
    }
    if (scaling && techniques) {
      throw new BadInputException("--scaling and --techniques: choose one benchmark");
    }
    OutputFolder folder = this.out == null ? null : OutputFolder.create(this.out, RunCharts.Catalog.NONE);
    try (BenchRuns runs = new BenchRuns(registry)) {
      if (techniques) {
        new TechniqueCostBench(runs, out).run();
      } else if (scaling) {
        new ScalingBench(runs, out).run(folder);
      } else {
        speed(runs, out);
        new FootprintBench(runs, out).run(guestMemory, idleVms);
      }
      return 0;
    } catch (BenchRuns.Stopped e) {
      out.flush();
      spec.commandLine().getErr().println("memvirt: " + e.getMessage() + "; the benchmarks that finished are printed"
          + (folder == null ? "" : ", and written to " + folder.dir() + " marked partial"));
      return e.by.exitCode();
    }
  }

  /** End-to-end speed: the default experiment, its duration times {@code --scale}. */
  private void speed(BenchRuns runs, PrintWriter out) {
    Experiment speed = Experiments.load(null, List.of("duration=" + (10 * scale) + "s"));
    runs.run(Experiments.load(null, List.of("duration=1s"))); // JIT warm-up
    long t0 = System.nanoTime();
    RunResult r = runs.run(speed);
    double seconds = (System.nanoTime() - t0) / 1e9;
    long accesses = r.host().get(MetricNames.ACCESSES).longValue();
    out.printf(Locale.ROOT, "end-to-end: default experiment x%d: %,d accesses in %.2f s wall = %,.0f accesses/s%n",
        scale, accesses, seconds, accesses / seconds);
    out.flush();
  }
}
