package org.memvirt.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.memvirt.api.MetricNames;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.sim.Experiment;
import org.memvirt.engine.sim.Experiments;
import org.memvirt.engine.sim.RunResult;
import org.memvirt.engine.sim.Simulation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code memvirt bench}: end-to-end speed (the default experiment, scaled up) and memory
 * footprint (heap bytes per mapped guest page on a large host). For the translation hot
 * path alone, see the JMH benchmarks in bench/.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure end-to-end speed (accesses per second) and heap bytes per mapped guest page.")
final class BenchCommand implements Callable<Integer> {
  @Mixin
  PluginOptions plugins;

  @Option(names = "--scale", defaultValue = "3",
      description = "Multiply the default experiment's duration by this (default ${DEFAULT-VALUE}).")
  int scale;

  @Option(names = "--guest-memory", defaultValue = "24GiB",
      description = "Guest memory each of the two VMs of the memory benchmark touches (default ${DEFAULT-VALUE}).")
  String guestMemory;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PluginRegistry registry = plugins.registry();

    Experiment speed = Experiments.load(null, List.of("duration=" + (10 * scale) + "s"));
    Experiments.run(Experiments.load(null, List.of("duration=1s")), registry); // JIT warm-up
    long t0 = System.nanoTime();
    RunResult r = Experiments.run(speed, registry);
    double seconds = (System.nanoTime() - t0) / 1e9;
    long accesses = r.host().get(MetricNames.ACCESSES).longValue();
    out.printf(Locale.ROOT, "end-to-end: default experiment x%d: %,d accesses in %.2f s wall = %,.0f accesses/s%n",
        scale, accesses, seconds, accesses / seconds);

    String memory = guestMemory;
    Experiment big = Experiments.parse("""
        name: memory-footprint
        duration: 1h
        host: {memory: 64GiB}
        vms:
          - name: a
            memory: 30GiB
            processes: [{workload: {type: idle, footprint: %s, writes: 1, rate: 100M/s}}]
          - name: b
            memory: 30GiB
            processes: [{workload: {type: idle, footprint: %s, writes: 1, rate: 100M/s}}]
        """.formatted(memory, memory), "(bench)");
    long before = usedHeap();
    t0 = System.nanoTime();
    Simulation sim = new Simulation(big, registry);
    RunResult m = sim.run();
    seconds = (System.nanoTime() - t0) / 1e9;
    long after = usedHeap();
    long mapped = m.vms().stream().mapToLong(v -> v.metrics().get(MetricNames.CONSUMED).longValue()).sum();
    long faults = m.host().get(MetricNames.PF_GUEST).longValue();
    out.printf(Locale.ROOT, "memory: 64GiB host, 2 x 30GiB VMs, %,d guest pages mapped (%,d faults in %.2f s wall)%n",
        mapped, faults, seconds);
    out.printf(Locale.ROOT, "memory: heap %,d MiB for the machine = %.1f bytes per mapped guest page%n",
        (after - before) >> 20, (after - before) / (double) mapped);
    out.flush();
    // Keep the machine reachable until its heap was measured.
    return sim.nowNanos() >= 0 ? 0 : 1;
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
