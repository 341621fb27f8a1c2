package org.memvirt.study;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A study's stop, asked from any thread (a signal handler, a user interface, a timeout):
 * every run registered with it is asked to stop at its next step, keeping what it has
 * measured, and no run starts after it.
 */
public final class Stop {
  private final List<Runnable> stops = new CopyOnWriteArrayList<>();
  private volatile String reason;

  /** A stop nothing has asked for yet. */
  public Stop() {}

  /** Asks every registered run to stop; {@code why} says so in results ("stopped by SIGTERM"). Later asks change nothing. */
  public void request(String why) {
    synchronized (this) {
      if (reason != null) {
        return;
      }
      reason = why;
    }
    stops.forEach(Runnable::run);
  }

  /** Whether a stop was asked for. */
  public boolean requested() {
    return reason != null;
  }

  /** Why the study was stopped, or null. */
  public String reason() {
    return reason;
  }

  /**
   * Runs {@code stop} when a stop is asked for (at once if it was), until the returned
   * registration is closed: a finished run's machine must not stay reachable from here.
   */
  public Registration onStop(Runnable stop) {
    stops.add(stop);
    if (reason != null) {
      stop.run();
    }
    return () -> stops.remove(stop);
  }

  /** A stop to run when one is asked for, until closed. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }
}
