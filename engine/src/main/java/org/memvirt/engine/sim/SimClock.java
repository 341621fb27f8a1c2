package org.memvirt.engine.sim;

import org.memvirt.api.Clock;

/** The run's one simulated clock, in nanoseconds. */
final class SimClock implements Clock {
  long now;

  @Override
  public long nanos() {
    return now;
  }
}
