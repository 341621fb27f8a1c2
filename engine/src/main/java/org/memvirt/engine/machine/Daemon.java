package org.memvirt.engine.machine;

import java.util.function.LongConsumer;

/** Work that runs every {@code period} of simulated time (a sampler, a scanner, a policy), or once. */
public final class Daemon {
  final String name;
  final long period;
  final LongConsumer work;
  public long next;

  /** Runs first at {@code period}, then every {@code period}. */
  public Daemon(String name, long period, LongConsumer work) {
    this(name, period, period, work);
  }

  /** Runs first at {@code first}, then every {@code period} ({@code Long.MAX_VALUE}: once). */
  public Daemon(String name, long first, long period, LongConsumer work) {
    this.name = name;
    this.period = period;
    this.work = work;
    this.next = first;
  }

  public void run() {
    long now = next;
    next = period == Long.MAX_VALUE ? Long.MAX_VALUE : next + period;
    work.accept(now);
  }
}
