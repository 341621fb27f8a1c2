package org.memvirt.cli;

import java.util.concurrent.Callable;
import org.memvirt.engine.experiment.Experiment;
import org.memvirt.engine.experiment.HeapEstimate;
import org.memvirt.engine.experiment.Sweep;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.run.Experiments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code memvirt validate FILE}: checks an experiment completely without running it;
 * {@code --reference} prints the experiment reference of the installed plugins instead.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check an experiment file: every key, value and technique name, without running it. "
        + "With --reference, print every key of the engine and of every installed plugin, with its default.")
final class ValidateCommand implements Callable<Integer> {
  @picocli.CommandLine.Option(names = "--reference",
      description = "Print the experiment reference (a valid experiment with every key and its default) and exit.")
  boolean reference;

  @Mixin
  ExperimentOptions experiment;

  @Mixin
  PluginOptions plugins;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PluginRegistry registry = plugins.registry();
    if (reference) {
      spec.commandLine().getOut().print(org.memvirt.engine.experiment.ExperimentReference.assemble(registry));
      spec.commandLine().getOut().flush();
      return 0;
    }
    Sweep sweep = experiment.loadSweep();
    // The heap first: building a machine that cannot fit would end in an OutOfMemoryError.
    long heap = 0;
    for (Sweep.Point p : sweep.points()) {
      HeapEstimate.check(p.experiment(), registry.workloads(), 1, Runtime.getRuntime().maxMemory());
      heap = Math.max(heap, HeapEstimate.bytes(p.experiment(), registry.workloads()));
    }
    for (Sweep.Point p : sweep.points()) {
      Experiments.validate(p.experiment(), registry);
    }
    Experiment e = sweep.points().get(0).experiment();
    String name = experiment.file == null ? Experiments.DEFAULT_ORIGIN : experiment.file.toString();
    spec.commandLine().getOut().println(name + ": ok (" + e.vms.size() + (e.vms.size() == 1 ? " VM" : " VMs") + ", mmu " + e.mmuType
        + (sweep.isSweep() ? "; a sweep of " + sweep.size() + " points" : "") + "; needs about "
        + HeapEstimate.mib(heap) + " of Java heap" + (sweep.isSweep() ? " a run" : "") + ", the JVM has "
        + HeapEstimate.mib(Runtime.getRuntime().maxMemory()) + ")");
    return 0;
  }
}
