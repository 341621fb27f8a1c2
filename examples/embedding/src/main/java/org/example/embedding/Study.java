package org.example.embedding;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.memvirt.engine.experiment.Sweep;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.run.Experiments;
import org.memvirt.study.CapacitySearch;
import org.memvirt.study.LocalExecutor;
import org.memvirt.study.Objective;
import org.memvirt.study.Replications;
import org.memvirt.study.Stop;
import org.memvirt.study.SweepRun;
import org.memvirt.study.SweepStudy;

/** A replicated sweep and a capacity search from Java: what memvirt run and memvirt fit drive. */
public final class Study {
  public static void main(String[] args) throws Exception {
    LocalExecutor executor = new LocalExecutor(PluginRegistry.discover()); // a point per core at once
    Sweep sweep = Experiments.parseSweep("""
        duration: 1s
        host: {memory: 1GiB}
        vms:
          - name: web
            memory: 512MiB
            processes: [{workload: {type: zipf, footprint: [32MiB, 128MiB], rate: 500K/s}}]
        seed: [1, 2, 3]
        """, "sweep");
    SweepRun run = SweepStudy.run(sweep, executor, new Stop(), (nanos, accesses) -> {});
    Replications replications = new Replications(run);
    for (Replications.Group g : replications.groups()) {
      Replications.Estimate e = replications.estimate(g, "web", "slowdown");
      System.out.printf("%s: slowdown %.3f +- %.3f over %d seeds%n", g.settings(), e.mean(), e.ci95(), e.n());
    }
    // How many copies of a VM that touches 8 MiB fit on a 64 MiB host without reclamation?
    Path file = Files.createTempFile("fit", ".yaml");
    Files.writeString(file, """
        duration: 1s
        host: {memory: 64MiB}
        vms:
          - name: web
            memory: 16MiB
            processes: [{workload: {type: sequential, footprint: 8MiB, writes: 1, stride: 4KiB, rate: 1M/s}}]
        """);
    CapacitySearch search = new CapacitySearch(file, List.of(), List.of(new CapacitySearch.VmTemplate(0, "web", 1)),
        Objective.parse("accesses>=1"), 64, 1);
    CapacitySearch.Answer answer = search.run(executor, new Stop(), probe -> System.out.printf("%d copies: %s%n",
        probe.vms(), probe.failure() == null ? "ran" : probe.failure()));
    System.out.printf("fit: %d copies of web%n", answer.good());
    Files.delete(file);
  }
}
