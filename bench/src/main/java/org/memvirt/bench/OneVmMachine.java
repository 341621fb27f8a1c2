package org.memvirt.bench;

import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.run.Experiments;
import org.memvirt.engine.run.Simulation;

/**
 * The machine the per-access benchmarks step through: one VM of 1 GiB on a 4 GiB host, one
 * process, metrics sampled once a simulated minute, a duration no benchmark reaches.
 */
final class OneVmMachine {
  private OneVmMachine() {}

  /** The machine under {@code mmu} ({@code ept} or {@code shadow}) running {@code workload} (a YAML mapping). */
  static Simulation running(String mmu, String workload) {
    return new Simulation(Experiments.parse("""
        duration: 100h
        metrics: {period: 60s}
        host: {memory: 4GiB}
        mmu: {type: %s}
        vms:
          - name: vm
            memory: 1GiB
            processes:
              - workload: %s
        """.formatted(mmu, workload), "bench"), PluginRegistry.discover());
  }
}
