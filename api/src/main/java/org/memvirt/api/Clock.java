package org.memvirt.api;

/** The simulated clock, in nanoseconds since the start of the run. */
public interface Clock {
  long nanos();
}
