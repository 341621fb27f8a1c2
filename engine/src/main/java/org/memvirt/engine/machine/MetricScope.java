package org.memvirt.engine.machine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.memvirt.api.Counter;
import org.memvirt.api.Metrics;

/** The counters of one vCPU, VM or host, by name, in the order they were first asked for. */
public final class MetricScope implements Metrics {
  private final Map<String, Counter> counters = new LinkedHashMap<>();

  @Override
  public Counter counter(String name) {
    return counters.computeIfAbsent(name, Counter::new);
  }

  public long get(String name) {
    Counter c = counters.get(name);
    return c == null ? 0 : c.get();
  }

  public List<Counter> all() {
    return new ArrayList<>(counters.values());
  }
}
