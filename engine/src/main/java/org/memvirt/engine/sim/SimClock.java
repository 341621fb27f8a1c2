package org.memvirt.engine.sim;

import org.memvirt.api.Clock;

/**
 * The run's one simulated clock, in nanoseconds. While a vCPU runs, the time is that vCPU's
 * own (read when asked, so the per-access path never writes the clock); between runs it is
 * the time a daemon or the end of the run set.
 */
final class SimClock implements Clock {
  private Vcpu running;
  private long fixed;

  @Override
  public long nanos() {
    return running != null ? (long) running.time() : fixed;
  }

  /** The time is now {@code vcpu}'s, as it runs. */
  void follow(Vcpu vcpu) {
    running = vcpu;
  }

  /** The time is {@code nanos} (a daemon runs, or the run ended). */
  void set(long nanos) {
    running = null;
    fixed = nanos;
  }
}
