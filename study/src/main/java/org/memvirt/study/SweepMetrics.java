package org.memvirt.study;

import java.util.Set;
import java.util.TreeSet;
import org.memvirt.api.BadInputException;
import org.memvirt.api.MetricInfo;
import org.memvirt.engine.experiment.Experiment;
import org.memvirt.engine.experiment.ProcessSpec;
import org.memvirt.engine.experiment.Sweep;
import org.memvirt.engine.experiment.TechniqueSpec;
import org.memvirt.engine.experiment.VmSpec;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.report.MetricCatalog;

/** The metrics a sweep's points will report: the engine's and those of the techniques they name. */
public final class SweepMetrics {
  private SweepMetrics() {}

  public static Set<String> known(Sweep sweep, PluginRegistry registry) {
    Set<String> known = new TreeSet<>();
    MetricCatalog.ENGINE.forEach(m -> known.add(m.name()));
    for (Sweep.Point p : sweep.points()) {
      Experiment e = p.experiment();
      add(known, registry.mmus().get(e.mmuType) == null ? null : registry.mmus().get(e.mmuType).metrics());
      for (TechniqueSpec t : e.reclaimers) {
        var f = registry.reclaimers().get(t.name());
        add(known, f == null ? null : f.metrics());
      }
      if (e.policy != null && registry.policies().get(e.policy.name()) != null) {
        add(known, registry.policies().get(e.policy.name()).metrics());
      }
      for (VmSpec vm : e.vms) {
        for (ProcessSpec ps : vm.processes()) {
          var f = registry.workloads().get(ps.workloadType());
          add(known, f == null ? null : f.metrics());
        }
      }
    }
    return known;
  }

  private static void add(Set<String> known, java.util.List<MetricInfo> metrics) {
    if (metrics != null) {
      metrics.forEach(m -> known.add(m.name()));
    }
  }

  public static void check(Set<String> known, String metric, String option) {
    if (!known.contains(metric)) {
      throw new BadInputException(option + " " + metric + ": not a metric this sweep reports; known: "
          + String.join(", ", known));
    }
  }
}
