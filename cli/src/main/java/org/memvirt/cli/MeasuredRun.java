package org.memvirt.cli;

import org.memvirt.engine.report.RunResult;
import org.memvirt.engine.run.Simulation;

/**
 * A machine built and run whole for a benchmark ({@link BenchRuns#measure}): the wall time it
 * took and the live heap it holds at its end, measured after full collections while the
 * machine is still reachable (this record keeps it so).
 */
record MeasuredRun(Simulation simulation, RunResult result, long heapBytes, double seconds) {}
