package org.memvirt.api;

/**
 * The documentation of one metric: its name, its unit, whether it is a {@link Kind#COUNTER}
 * (counts events, reset by the warm-up) or a {@link Kind#GAUGE} (a level now, may go down),
 * and what it means. The engine lists its own; each technique lists its own in its
 * factory's {@code metrics()}.
 */
public record MetricInfo(String name, String unit, Kind kind, String meaning) {
  /** How a metric behaves over time. */
  public enum Kind {
    COUNTER, GAUGE, DERIVED;

    /** The word used in tables. */
    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A counter. */
  public static MetricInfo counter(String name, String unit, String meaning) {
    return new MetricInfo(name, unit, Kind.COUNTER, meaning);
  }

  /** A gauge. */
  public static MetricInfo gauge(String name, String unit, String meaning) {
    return new MetricInfo(name, unit, Kind.GAUGE, meaning);
  }

  /** A value derived from others at the end of a run. */
  public static MetricInfo derived(String name, String unit, String meaning) {
    return new MetricInfo(name, unit, Kind.DERIVED, meaning);
  }
}
