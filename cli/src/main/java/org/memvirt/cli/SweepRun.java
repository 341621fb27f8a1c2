package org.memvirt.cli;

import java.util.List;
import org.memvirt.engine.sim.RunResult;
import org.memvirt.engine.sim.Sweep;

/**
 * A sweep as it ran: the swept settings, the points, and each point's result (null for a
 * point that an interruption kept from starting).
 */
record SweepRun(List<String> axes, List<Sweep.Point> points, List<RunResult> results) {
  /** Whether some point was stopped early or never ran. */
  boolean partial() {
    return results.stream().anyMatch(r -> r == null || r.partial());
  }
}
