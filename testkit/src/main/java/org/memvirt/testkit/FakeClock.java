package org.memvirt.testkit;

import org.memvirt.api.Clock;

/** A simulated clock a test moves by hand. */
public final class FakeClock implements Clock {
  private long nanos;

  @Override
  public long nanos() {
    return nanos;
  }

  /** Moves the clock to {@code nanos}. */
  public void set(long nanos) {
    this.nanos = nanos;
  }
}
