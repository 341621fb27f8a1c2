package org.memvirt.engine.hardware;

import java.util.function.DoubleSupplier;
import org.memvirt.api.Clock;

/**
 * The run's one simulated clock, in nanoseconds. While a vCPU runs, the time is that vCPU's
 * own (read from it when asked, so the per-access path never writes the clock); between
 * runs it is the time a daemon or the end of the run set.
 */
public final class SimClock implements Clock {
  private DoubleSupplier running;
  private long fixed;

  @Override
  public long nanos() {
    return running != null ? (long) running.getAsDouble() : fixed;
  }

  /** The time is now the running vCPU's, read from {@code time} whenever it is asked. */
  public void follow(DoubleSupplier time) {
    running = time;
  }

  /** The time is {@code nanos} (a daemon runs, or the run ended). */
  public void set(long nanos) {
    running = null;
    fixed = nanos;
  }
}
