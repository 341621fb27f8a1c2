package org.memvirt.engine.hardware;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.memvirt.api.Counter;
import org.memvirt.api.Metrics;

/** The counters of one vCPU, VM or host, by name, in the order they were first asked for. */
public final class MetricScope implements Metrics {
  private final Map<String, Counter> counters = new LinkedHashMap<>();
  private final Consumer<Counter> onNew;

  /** A scope whose counters cost nothing in time. */
  public MetricScope() {
    this(c -> {});
  }

  /** A scope that hands each new counter to {@code onNew} (the cost model attaches its stall). */
  public MetricScope(Consumer<Counter> onNew) {
    this.onNew = onNew;
  }

  @Override
  public Counter counter(String name) {
    Counter c = counters.get(name);
    if (c == null) {
      c = new Counter(name);
      onNew.accept(c);
      counters.put(name, c);
    }
    return c;
  }

  /** Every counter back to zero but the gauges named (the end of the warm-up). */
  public void reset(java.util.Set<String> gauges) {
    for (Counter c : counters.values()) {
      if (!gauges.contains(c.name())) {
        c.reset();
      }
    }
  }

  public long get(String name) {
    Counter c = counters.get(name);
    return c == null ? 0 : c.get();
  }

  public List<Counter> all() {
    return new ArrayList<>(counters.values());
  }
}
