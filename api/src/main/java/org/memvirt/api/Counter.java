package org.memvirt.api;

/**
 * A named event counter owned by one vCPU, VM or the host. A plain long field: cheap
 * enough for the per-access path. Obtain one from {@link Metrics#counter(String)}.
 */
public final class Counter {
  private final String name;
  private long value;

  public Counter(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  public void increment() {
    value++;
  }

  public void add(long amount) {
    value += amount;
  }

  public long get() {
    return value;
  }
}
