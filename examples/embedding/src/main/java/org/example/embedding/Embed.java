package org.example.embedding;

import java.util.List;
import org.memvirt.engine.experiment.Experiment;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.report.RunResult;
import org.memvirt.engine.run.Experiments;
import org.memvirt.engine.run.Simulation;

/** Runs an experiment written in code, follows its progress, and reads its results. */
public final class Embed {
  public static void main(String[] args) {
    PluginRegistry plugins = PluginRegistry.discover(); // the plugins on the class path
    Experiment experiment = Experiments.parse("""
        duration: 2s
        host: {memory: 1GiB}
        vms:
          - name: web
            memory: 512MiB
            processes: [{workload: {type: zipf, footprint: 128MiB, rate: 500K/s}}]
        """, "embedded");
    Simulation simulation = new Simulation(experiment, plugins);
    simulation.onProgress((nanos, accesses) -> System.out.printf("%.1f s, %d accesses%n", nanos / 1e9, accesses));
    RunResult result = simulation.run();
    double slowdown = result.vm("web").metrics().get("slowdown").doubleValue();
    List<RunResult.Sample> series = result.timeSeries();
    System.out.printf("web: slowdown %.3f, %d samples%n", slowdown, series.size());
  }
}
