package org.memvirt.study;

import java.util.ArrayList;
import java.util.List;
import org.memvirt.engine.experiment.Sweep;
import org.memvirt.engine.report.RunResult;
import org.memvirt.engine.run.Simulation;

/** A sweep's points (or some of them) run by an executor, gathered as a {@link SweepRun}. */
public final class SweepStudy {
  private SweepStudy() {}

  /** Runs every point of {@code sweep}. */
  public static SweepRun run(Sweep sweep, StudyExecutor executor, Stop stop, Simulation.ProgressListener progress) {
    return run(sweep.axes(), sweep.points(), executor, stop, progress);
  }

  /** Runs {@code points} of a sweep over {@code axes}. */
  public static SweepRun run(List<Sweep.Axis> axes, List<Sweep.Point> points, StudyExecutor executor, Stop stop,
      Simulation.ProgressListener progress) {
    List<PointOutcome> outcomes = executor.run(points, stop, progress);
    List<RunResult> results = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (PointOutcome o : outcomes) {
      results.add(o.result());
      failures.add(o.failure());
    }
    return new SweepRun(axes.stream().map(Sweep.Axis::path).toList(), points, results, failures);
  }
}
