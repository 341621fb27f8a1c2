package org.memvirt.engine.run;

import java.util.List;
import org.memvirt.api.MemvirtPlugin;
import org.memvirt.engine.experiment.Experiment;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.report.RunResult;

/** Helpers to build experiments and simulations in tests. */
public final class Machines {
  /** The bundled plugins found on the class path, and the test plugin. */
  public static final PluginRegistry REGISTRY = registry();

  private Machines() {}

  static PluginRegistry registry(MemvirtPlugin... extra) {
    List<MemvirtPlugin> plugins = new java.util.ArrayList<>(List.of(new TestPlugin()));
    plugins.addAll(List.of(extra));
    return PluginRegistry.discover(List.of(), plugins);
  }

  public static Experiment experiment(String yaml) {
    return Experiments.parse(yaml, "test.yaml");
  }

  /** A simulation of {@code yaml}, not yet run: for tests that drive it with {@code advanceTo}. */
  public static Simulation simulation(String yaml) {
    return new Simulation(experiment(yaml), REGISTRY);
  }

  public static RunResult run(String yaml) {
    return Experiments.run(experiment(yaml), REGISTRY);
  }

  /** The counters of a scope now. */
  static java.util.Map<String, Long> snapshot(org.memvirt.engine.hardware.MetricScope scope) {
    java.util.Map<String, Long> m = new java.util.TreeMap<>();
    scope.all().forEach(c -> m.put(c.name(), c.get()));
    return m;
  }

  /** How much counter {@code name} of {@code scope} grew since {@code before}. */
  static long delta(java.util.Map<String, Long> before, org.memvirt.engine.hardware.MetricScope scope, String name) {
    return scope.get(name) - before.getOrDefault(name, 0L);
  }

  /** A VM's metric; 0 for a counter nothing ever incremented (counters appear on first use). */
  public static long metric(RunResult r, String vm, String name) {
    Number n = r.vm(vm).metrics().get(name);
    return n == null ? 0 : n.longValue();
  }
}
