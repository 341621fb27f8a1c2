package org.memvirt.api;

/**
 * A named event counter owned by one vCPU, VM or the host. A plain long field: cheap
 * enough for the per-access path. Obtain one from {@link Metrics#counter(String)}.
 */
public final class Counter {
  private final String name;
  private long value;

  /** A counter at zero. */
  public Counter(String name) {
    this.name = name;
  }

  /** The metric name. */
  public String name() {
    return name;
  }

  /** Adds one. */
  public void increment() {
    value++;
  }

  /** Adds {@code amount}. */
  public void add(long amount) {
    value += amount;
  }

  /** The count. */
  public long get() {
    return value;
  }
}
