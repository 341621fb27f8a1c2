package org.memvirt.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.memvirt.study.Stop;
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

  private final Stop stop = new Stop();
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
    stop.request("stopped by " + signal());
  }

  /** The study stop this interruption asks for: what a study's runs are registered with. */
  Stop stop() {
    return stop;
  }

  /** Runs {@code stop} on interruption (at once if it already happened), until the registration is closed. */
  Stop.Registration onInterrupt(Runnable stop) {
    return this.stop.onStop(stop);
  }

  boolean interrupted() {
    return stop.requested();
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
