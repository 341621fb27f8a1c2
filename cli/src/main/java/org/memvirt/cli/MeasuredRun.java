package org.memvirt.cli;

import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.sim.Experiment;
import org.memvirt.engine.sim.RunResult;
import org.memvirt.engine.sim.Simulation;

/**
 * A machine built and run whole for a benchmark: the wall time it took and the live heap it
 * holds at its end, measured after full collections while the machine is still reachable
 * (this record keeps it so).
 */
record MeasuredRun(Simulation simulation, RunResult result, long heapBytes, double seconds) {
  /** Builds and runs {@code experiment}, measuring both. */
  static MeasuredRun of(Experiment experiment, PluginRegistry registry) {
    long before = liveHeap();
    long t0 = System.nanoTime();
    Simulation sim = new Simulation(experiment, registry);
    RunResult r = sim.run();
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new MeasuredRun(sim, r, liveHeap() - before, seconds);
  }

  /** The heap in use after full collections. */
  private static long liveHeap() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
