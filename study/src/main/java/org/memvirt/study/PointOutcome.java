package org.memvirt.study;

import org.memvirt.engine.report.RunResult;

/**
 * What running one point gave: its result (null when a stop kept it from starting, or it
 * failed before it had one), and its failure in one line (null when it did not fail): the
 * host out of memory, bad input that showed only when its machine was made
 * ({@code badInput}), or a JVM out of heap.
 */
public record PointOutcome(RunResult result, String failure, boolean badInput) {
  /** A point that ran (its result may itself say it failed, or was cut short). */
  public static PointOutcome ran(RunResult result) {
    return new PointOutcome(result, result.failure(), false);
  }

  /** A point that never started: a stop came first. */
  public static PointOutcome notStarted() {
    return new PointOutcome(null, null, false);
  }
}
