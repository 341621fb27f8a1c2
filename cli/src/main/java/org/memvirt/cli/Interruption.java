package org.memvirt.cli;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT, or SIGTERM) during a run: a shutdown hook asks the running simulations to
 * stop, then waits for the command to write what was measured (marked partial) before the
 * JVM exits.
 */
final class Interruption implements AutoCloseable {
  /** How long the hook waits for the partial results to be written. */
  private static final long WRITE_TIMEOUT_SECONDS = 120;

  private final List<Runnable> stops = new CopyOnWriteArrayList<>();
  private final CountDownLatch written = new CountDownLatch(1);
  private final Thread hook = new Thread(this::interrupt, "memvirt-interrupt");
  private volatile boolean interrupted;

  Interruption() {}

  static Interruption install() {
    Interruption i = new Interruption();
    Runtime.getRuntime().addShutdownHook(i.hook);
    return i;
  }

  /** Runs {@code stop} on interruption (at once if it already happened). */
  void onInterrupt(Runnable stop) {
    stops.add(stop);
    if (interrupted) {
      stop.run();
    }
  }

  boolean interrupted() {
    return interrupted;
  }

  /** What the hook does: stop every run, then wait until the results are written. */
  void interrupt() {
    interrupted = true;
    stops.forEach(Runnable::run);
    try {
      written.await(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The command has written its results: let an interrupted JVM exit; remove the hook otherwise. */
  @Override
  public void close() {
    written.countDown();
    if (!interrupted) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down.
      }
    }
  }
}
