package org.memvirt.study;

import java.util.List;
import org.memvirt.engine.experiment.Sweep;
import org.memvirt.engine.report.RunResult;

/**
 * A sweep as it ran: the swept settings, the points, each point's result (null for a point
 * that an interruption kept from starting, or that failed before it had one), and each
 * point's failure in one line (null when it did not fail): the host out of memory, or bad
 * input that showed only when its machine was made.
 */
public record SweepRun(List<String> axes, List<Sweep.Point> points, List<RunResult> results, List<String> failures) {
  /** Whether some point failed. */
  public boolean failed() {
    return failures.stream().anyMatch(java.util.Objects::nonNull);
  }

  /** Whether some point was stopped early or never ran. */
  public boolean partial() {
    for (int i = 0; i < results.size(); i++) {
      RunResult r = results.get(i);
      if (failures.get(i) == null && (r == null || r.partial())) {
        return true;
      }
    }
    return false;
  }
}
