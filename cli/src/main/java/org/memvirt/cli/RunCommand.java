package org.memvirt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.memvirt.api.BadInputException;
import org.memvirt.api.MetricNames;
import org.memvirt.engine.experiment.Sweep;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.report.RunResult;
import org.memvirt.engine.run.Simulation;
import org.memvirt.study.LocalExecutor;
import org.memvirt.study.Replications;
import org.memvirt.study.Stop;
import org.memvirt.study.SweepMetrics;
import org.memvirt.study.SweepRun;
import org.memvirt.study.SweepStudy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code memvirt run [FILE]}: runs an experiment, or a sweep when settings are lists, and
 * prints its table (or CSV, or JSON); {@code --out DIR} also writes files, charts and a
 * report. A signal (Ctrl-C, SIGTERM) stops the run and still writes what was measured, marked
 * partial; the exit code is then 128 + the signal's number (130, 143).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run an experiment (the built-in default without FILE) and print its metrics per VM.",
        "A setting given as a list (mmu.type: [ept, shadow]) makes a sweep: every combination runs, in parallel."})
final class RunCommand implements Callable<Integer> {
  enum Format { table, csv, json }

  /** The sweep table's default columns. */
  static final List<String> SWEEP_METRICS = List.of(MetricNames.ACCESSES, MetricNames.TLB_L2_MISSES,
      MetricNames.WALK_REFS, MetricNames.PF_GUEST, MetricNames.EXITS, MetricNames.SLOWDOWN);

  @Mixin
  ExperimentOptions experiment;

  @Mixin
  PluginOptions plugins;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
      description = "What goes to stdout: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--json", description = "Same as --format json.")
  boolean json;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Also write summary.json, vms.csv, timeseries.csv, experiment.yaml, PNG charts and report.html here.")
  Path out;

  @Option(names = "--no-progress", description = "Never show the progress bar (it shows only on a terminal anyway).")
  boolean noProgress;

  @Option(names = "--threads", paramLabel = "N",
      description = "Sweep points run at once (default: the number of cores).")
  Integer threads;

  @Option(names = "--metrics", paramLabel = "METRIC", split = ",",
      description = "Metrics in a sweep's table (default accesses,tlb_l2_misses,walk_refs,pf_guest,exits,slowdown).")
  List<String> metrics;

  @Option(names = "--chart", paramLabel = "METRIC", split = ",", defaultValue = MetricNames.SLOWDOWN,
      description = "Metrics a sweep charts against its first swept setting, one chart each (default ${DEFAULT-VALUE}).")
  List<String> chartMetrics;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  /** Points of the sweep that failed (the host out of memory, bad input at run time). */
  private int failedPoints;

  @Override
  public Integer call() throws IOException {
    Sweep sweep = experiment.loadSweep();
    PluginRegistry registry = plugins.registry();
    Format f = json ? Format.json : format;
    var parsed = spec.commandLine().getParseResult();
    if (!sweep.isSweep()) {
      for (String option : List.of("--metrics", "--chart", "--threads")) {
        if (parsed.hasMatchedOption(option)) {
          throw new BadInputException(option + ": applies to a sweep (a setting written as a list); this experiment "
              + "is a single run");
        }
      }
    }
    long maxHeap = Runtime.getRuntime().maxMemory();
    int atOnce = !sweep.isSweep() ? 1 : Math.min(sweep.points().size(),
        threads == null ? Runtime.getRuntime().availableProcessors() : Math.max(1, threads));
    for (Sweep.Point p : sweep.points()) {
      org.memvirt.engine.experiment.HeapEstimate.check(p.experiment(), registry.workloads(), atOnce, maxHeap);
    }
    if (sweep.isSweep()) {
      // Checked before anything runs, against what the experiment's techniques report.
      java.util.Set<String> known = SweepMetrics.known(sweep, registry);
      for (String m : chartMetrics) {
        SweepMetrics.check(known, m, "--chart");
      }
      for (String m : metrics == null ? SWEEP_METRICS : metrics) {
        SweepMetrics.check(known, m, "--metrics");
      }
    }
    try (Interruption interruption = Interruption.install()) {
      OutputFolder folder = out == null ? null
          : OutputFolder.create(out, RunCharts.Catalog.of(registry));
      List<RunResult> results = sweep.isSweep() ? sweep(sweep, registry, folder, f, interruption)
          : List.of(single(sweep.points().get(0), registry, folder, f, interruption));
      if (failedPoints > 0) {
        // Each failed point's reason is in the table; the other points' results are kept.
        spec.commandLine().getErr().println("memvirt: " + failedPoints + " of " + sweep.points().size()
            + " points failed (see the table" + (folder == null ? "" : " and " + folder.dir()) + ")");
        return Main.BAD_INPUT;
      }
      // A run that ran out of memory has written its partial results; its reason is the error.
      for (RunResult r : results) {
        if (r != null && r.failure() != null) {
          throw new BadInputException(r.failure());
        }
      }
      if (interruption.interrupted() && results.stream().anyMatch(r -> r == null || r.partial())) {
        spec.commandLine().getErr().println("memvirt: stopped by " + interruption.signal()
            + "; the results so far are marked partial" + (folder == null ? "" : " and written to " + folder.dir()));
        return interruption.exitCode();
      }
      return 0;
    }
  }

  private RunResult single(Sweep.Point point, PluginRegistry registry, OutputFolder folder, Format f,
      Interruption interruption) throws IOException {
    Simulation sim = new Simulation(point.experiment(), registry);
    RunResult r;
    try (Stop.Registration stop = interruption.onInterrupt(sim::requestStop);
        Progress progress = Progress.start(!noProgress, "simulating", point.experiment().durationNanos)) {
      sim.onProgress(progress::update);
      r = sim.run();
    }
    print(switch (f) {
      case table -> ResultTable.render(r);
      case csv -> ResultCsv.vms(r);
      case json -> ResultJson.render(r);
    });
    if (folder != null) {
      try {
        folder.writeRun(r, point.experiment().resolved());
      } catch (OutputIncomplete e) {
        // One line still: the run's own outcome first, then what could not be written.
        throw new OutputIncomplete((r.failure() != null ? r.failure() + "; "
            : interruption.interrupted() ? "stopped by " + interruption.signal() + "; " : "") + e.getMessage());
      }
    }
    return r;
  }

  private List<RunResult> sweep(Sweep sweep, PluginRegistry registry, OutputFolder folder, Format f,
      Interruption interruption) throws IOException {
    List<String> tableMetrics = metrics == null ? SWEEP_METRICS : metrics;
    int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (n < 1) {
      throw new BadInputException("--threads " + n + ": expected at least 1");
    }
    List<Sweep.Point> points = sweep.points();
    long total = 0;
    for (Sweep.Point p : points) {
      total += p.experiment().durationNanos;
    }
    SweepRun run;
    try (Progress progress = Progress.start(!noProgress, points.size() + " points", total)) {
      run = SweepStudy.run(sweep.axes(), points, new LocalExecutor(registry, n), interruption.stop(), progress::update);
    }
    failedPoints = (int) run.failures().stream().filter(java.util.Objects::nonNull).count();
    print(switch (f) {
      case table -> String.format(Locale.ROOT, "sweep of %d points over %s%s%n", run.points().size(),
          String.join(", ", run.axes()), run.partial() ? "  PARTIAL (interrupted)" : "")
          + ResultTable.align(ResultTable.sweepRows(run, tableMetrics)) + ResultTable.failures(run)
          + (new Replications(run).replicated() ? "\nmean ± 95% confidence interval over the seeds\n"
              + ResultTable.align(ResultTable.replicationRows(run, tableMetrics)) : "");
      case csv -> ResultCsv.sweep(run);
      case json -> ResultJson.render(run);
    });
    if (folder != null) {
      try {
        folder.writeSweep(run, sweep.describe(), sweep.tree().resolved(), tableMetrics, chartMetrics);
        for (int i = 0; i < run.points().size(); i++) {
          RunResult r = run.results().get(i);
          if (r != null) {
            folder.point(i).writeRun(r, run.points().get(i).experiment().resolved());
          }
        }
      } catch (OutputIncomplete e) {
        throw new OutputIncomplete((interruption.interrupted() ? "stopped by " + interruption.signal() + "; " : "")
            + e.getMessage());
      }
    }
    return run.results();
  }

  private void print(String text) {
    PrintWriter o = spec.commandLine().getOut();
    o.print(text);
    o.flush();
  }

}
