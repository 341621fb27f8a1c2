package org.memvirt.engine.sim;

import java.util.function.LongConsumer;

/** Work that runs every {@code period} of simulated time (a sampler, a scanner, a policy), or once. */
final class Daemon {
  final String name;
  final long period;
  final LongConsumer work;
  long next;

  /** Runs first at {@code period}, then every {@code period}. */
  Daemon(String name, long period, LongConsumer work) {
    this(name, period, period, work);
  }

  /** Runs first at {@code first}, then every {@code period} ({@code Long.MAX_VALUE}: once). */
  Daemon(String name, long first, long period, LongConsumer work) {
    this.name = name;
    this.period = period;
    this.work = work;
    this.next = first;
  }

  void run() {
    long now = next;
    next = period == Long.MAX_VALUE ? Long.MAX_VALUE : next + period;
    work.accept(now);
  }
}
