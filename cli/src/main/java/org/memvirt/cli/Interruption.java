package org.memvirt.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * A long command stopped by a signal: SIGINT (Ctrl-C), SIGTERM (what a scheduler or
 * {@code kill} sends) or SIGHUP (the terminal went away). The first signal asks what runs to
 * stop; the command then writes what it has, marked partial, and exits with 128 + the
 * signal's number (130, 143, 129), as shells report a process a signal ended. A second
 * signal ends the process at once. A signal the process was started with ignored (SIGINT
 * under {@code nohup} or in a background job) stays ignored, as a Unix tool leaves it.
 */
final class Interruption implements AutoCloseable {
  private static final List<String> SIGNALS = List.of("INT", "TERM", "HUP");

  private final List<Runnable> stops = new CopyOnWriteArrayList<>();
  private final List<Signal> installed = new ArrayList<>();
  private final List<SignalHandler> previous = new ArrayList<>();
  private volatile Signal received;

  /** An interruption no signal reaches but through {@link #deliver} (for tests). */
  Interruption() {}

  /** Handles the signals from now until {@link #close}. */
  static Interruption install() {
    Interruption i = new Interruption();
    for (String name : SIGNALS) {
      Signal s = new Signal(name);
      try {
        i.previous.add(Signal.handle(s, i::deliver));
        i.installed.add(s);
      } catch (IllegalArgumentException e) {
        // The JVM keeps this signal for itself (-Xrs): its default stays.
      }
    }
    return i;
  }

  /** What the handler does with signal {@code s}. */
  void deliver(Signal s) {
    if (received != null) {
      // Asked twice: stop now, without the partial results.
      Runtime.getRuntime().halt(128 + s.getNumber());
    }
    received = s;
    stops.forEach(Runnable::run);
  }

  /**
   * Runs {@code stop} on interruption (at once if it already happened), until the returned
   * registration is closed: a finished run's machine must not stay reachable from here.
   */
  Registration onInterrupt(Runnable stop) {
    stops.add(stop);
    if (received != null) {
      stop.run();
    }
    return () -> stops.remove(stop);
  }

  /** A stop to run on interruption, until closed. */
  interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  boolean interrupted() {
    return received != null;
  }

  /** The exit code of a command this interruption stopped: 128 + the signal's number. */
  int exitCode() {
    return 128 + received.getNumber();
  }

  /** {@code SIGTERM}, {@code SIGINT}, ...: the signal received. */
  String signal() {
    return "SIG" + received.getName().toUpperCase(Locale.ROOT);
  }

  /** Gives the signals back their handlers of before. */
  @Override
  public void close() {
    for (int i = 0; i < installed.size(); i++) {
      Signal.handle(installed.get(i), previous.get(i));
    }
  }
}
