package org.memvirt.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr (me.tongfei:progressbar): simulated seconds done of the total,
 * and accesses per wall-clock second. Shown only when stderr is a terminal, and only once a
 * run has taken more than a moment; otherwise (CI, pipes, files) nothing is printed.
 */
final class Progress implements AutoCloseable {
  /** How long a run goes before a bar appears. */
  private static final long DELAY_NANOS = 1_000_000_000L;

  private final boolean enabled;
  private final String task;
  private final long totalMillis;
  private final long started = System.nanoTime();
  private ProgressBar bar;

  private Progress(boolean enabled, String task, long totalNanos) {
    this.enabled = enabled;
    this.task = task;
    this.totalMillis = Math.max(1, totalNanos / 1_000_000);
  }

  /** A bar for {@code totalNanos} of simulated time; silent unless {@code wanted} and stderr is a terminal. */
  static Progress start(boolean wanted, String task, long totalNanos) {
    return new Progress(wanted && stderrIsTerminal(), task, totalNanos);
  }

  /** Simulated time done and accesses run so far (any thread). */
  synchronized void update(long simulatedNanos, long accesses) {
    if (!enabled) {
      return;
    }
    long wall = System.nanoTime() - started;
    if (bar == null) {
      if (wall < DELAY_NANOS) {
        return;
      }
      bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalMillis).setUnit(" s", 1000)
          .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).showSpeed(new java.text.DecimalFormat("0.0"))
          .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
    }
    bar.stepTo(Math.min(totalMillis, simulatedNanos / 1_000_000));
    bar.setExtraMessage(String.format(Locale.ROOT, " | %.1fM accesses/s", accesses / (wall / 1e9) / 1e6));
  }

  @Override
  public synchronized void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }

  /** Whether stderr is a terminal: Linux tells through /proc; elsewhere, whether there is a console. */
  static boolean stderrIsTerminal() {
    if ("dumb".equals(System.getenv("TERM"))) {
      return false;
    }
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (Exception e) {
      return System.console() != null;
    }
  }

}
