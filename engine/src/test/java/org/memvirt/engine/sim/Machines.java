package org.memvirt.engine.sim;

import java.util.List;
import org.memvirt.api.MemvirtPlugin;
import org.memvirt.engine.plugin.PluginRegistry;

/** Helpers to build experiments and simulations in tests. */
final class Machines {
  /** The bundled plugins found on the class path, and the test plugin. */
  static final PluginRegistry REGISTRY = registry();

  private Machines() {}

  static PluginRegistry registry(MemvirtPlugin... extra) {
    List<MemvirtPlugin> plugins = new java.util.ArrayList<>(List.of(new TestPlugin()));
    plugins.addAll(List.of(extra));
    return PluginRegistry.discover(List.of(), plugins);
  }

  static Experiment experiment(String yaml) {
    return Experiments.parse(yaml, "test.yaml");
  }

  static RunResult run(String yaml) {
    return Experiments.run(experiment(yaml), REGISTRY);
  }

  /** A VM's metric; 0 for a counter nothing ever incremented (counters appear on first use). */
  static long metric(RunResult r, String vm, String name) {
    Number n = r.vm(vm).metrics().get(name);
    return n == null ? 0 : n.longValue();
  }
}
