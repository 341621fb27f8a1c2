package org.memvirt.api.mmu;

/**
 * A cost a technique adds to the cost model: every {@code counter} event costs
 * {@code defaultCost} {@link Unit}s (overridable as {@code costs.KEY}); under the native
 * baseline it is charged only if {@code nativeToo}. {@code source} says where the default
 * comes from. Cycles are CPU work, turned into time at the host's clock rate; nanoseconds
 * are waits (I/O) that stall the vCPU whatever the clock.
 */
public record CostEntry(String key, String counter, long defaultCycles, boolean nativeToo, String source,
    Unit unit) {
  /** What a cost is counted in. */
  public enum Unit {
    CYCLES("cycles"), NANOSECONDS("ns");

    private final String word;

    Unit(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }
  }

  /** A cost in cycles (the form before units, api 0.3). */
  public CostEntry(String key, String counter, long defaultCycles, boolean nativeToo, String source) {
    this(key, counter, defaultCycles, nativeToo, source, Unit.CYCLES);
  }

  /** A wait in nanoseconds (an I/O latency). */
  public static CostEntry nanos(String key, String counter, long defaultNanos, boolean nativeToo, String source) {
    return new CostEntry(key, counter, defaultNanos, nativeToo, source, Unit.NANOSECONDS);
  }
}
