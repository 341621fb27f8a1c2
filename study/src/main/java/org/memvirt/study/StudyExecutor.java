package org.memvirt.study;

import java.util.List;
import org.memvirt.engine.experiment.Sweep;
import org.memvirt.engine.run.Simulation;

/**
 * How a study's points are run and their outcomes gathered: each point is one independent
 * simulation (its own machine and seed), so any executor that runs each exactly as
 * {@link LocalExecutor} does gives the same outcomes, in point order, whatever its
 * parallelism. The local executor uses threads; a cluster's would use tasks.
 */
public interface StudyExecutor {
  /**
   * Runs {@code points}; a point not started when {@code stop} is asked for stays
   * {@link PointOutcome#notStarted}, a running one stops at its next step.
   *
   * @param progress told, from any thread, of the simulated nanoseconds and accesses done
   *     over all points
   */
  List<PointOutcome> run(List<Sweep.Point> points, Stop stop, Simulation.ProgressListener progress);
}
