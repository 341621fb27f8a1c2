package org.memvirt.cli;

import org.memvirt.engine.experiment.Experiment;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.report.RunResult;
import org.memvirt.engine.run.Simulation;
import org.memvirt.study.Stop;

/**
 * The machines a benchmark builds and runs, one at a time. A signal stops the one under way
 * and ends the benchmark ({@link Stopped}): what it printed before stays, and a run cut short
 * is never reported as a measurement.
 */
final class BenchRuns implements AutoCloseable {
  private final PluginRegistry registry;
  private final Interruption interruption = Interruption.install();

  BenchRuns(PluginRegistry registry) {
    this.registry = registry;
  }

  PluginRegistry registry() {
    return registry;
  }

  /** Builds and runs {@code experiment}. */
  RunResult run(Experiment experiment) {
    return finished(simulate(new Simulation(experiment, registry)));
  }

  /** Builds and runs {@code experiment}, measuring the wall time and the live heap the machine holds at its end. */
  MeasuredRun measure(Experiment experiment) {
    long before = liveHeap();
    long t0 = System.nanoTime();
    Simulation sim = new Simulation(experiment, registry);
    RunResult r = finished(simulate(sim));
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new MeasuredRun(sim, r, liveHeap() - before, seconds);
  }

  private RunResult simulate(Simulation sim) {
    try (Stop.Registration stop = interruption.onInterrupt(sim::requestStop)) {
      return sim.run();
    }
  }

  private RunResult finished(RunResult r) {
    if (interruption.interrupted()) {
      throw new Stopped(interruption);
    }
    return r;
  }

  /** The heap in use after full collections. */
  private static long liveHeap() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  @Override
  public void close() {
    interruption.close();
  }

  /** A benchmark a signal stopped: the signal and the exit code it calls for. */
  static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Interruption by;

    Stopped(Interruption by) {
      super("stopped by " + by.signal(), null, false, false);
      this.by = by;
    }
  }
}
