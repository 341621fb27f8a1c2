package org.memvirt.api;

/**
 * A named event counter owned by one vCPU, VM or the host. A plain long field: cheap
 * enough for the per-access path. Obtain one from {@link Metrics#counter(String)}.
 *
 * <p>When the cost model prices the event, the engine attaches its time cost: each event
 * then also adds what it stalls the running vCPU, under virtualization and natively, to
 * the VM's pending stall (a two-slot array the vCPU drains after each access).
 */
public final class Counter {
  private final String name;
  private long value;
  private double[] stall;
  private double stallNanos;
  private double nativeStallNanos;

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
    if (stall != null) {
      stall[0] += stallNanos;
      stall[1] += nativeStallNanos;
    }
  }

  /** Adds {@code amount}. */
  public void add(long amount) {
    value += amount;
    if (stall != null) {
      stall[0] += amount * stallNanos;
      stall[1] += amount * nativeStallNanos;
    }
  }

  /** Sets a gauge (a counter kept as a level, {@link MetricInfo.Kind#GAUGE}) to {@code level}. */
  public void set(long level) {
    add(level - value);
  }

  /** The count. */
  public long get() {
    return value;
  }

  /**
   * For the engine: each event from now on adds {@code nanos} to {@code pending[0]} and
   * {@code nativeNanos} to {@code pending[1]}.
   */
  public void stalls(double[] pending, double nanos, double nativeNanos) {
    this.stall = nanos == 0 && nativeNanos == 0 ? null : pending;
    this.stallNanos = nanos;
    this.nativeStallNanos = nativeNanos;
  }

  /** For the engine: back to zero (the end of a warm-up). */
  public void reset() {
    value = 0;
  }
}
