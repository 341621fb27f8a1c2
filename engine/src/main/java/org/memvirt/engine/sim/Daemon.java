package org.memvirt.engine.sim;

import java.util.function.LongConsumer;

/** Work that runs every {@code period} of simulated time (a sampler, a scanner, a policy). */
final class Daemon {
  final String name;
  final long period;
  final LongConsumer work;
  long next;

  Daemon(String name, long period, LongConsumer work) {
    this.name = name;
    this.period = period;
    this.work = work;
    this.next = period;
  }

  void run() {
    long now = next;
    next += period;
    work.accept(now);
  }
}
