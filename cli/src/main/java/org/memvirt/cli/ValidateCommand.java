package org.memvirt.cli;

import java.util.concurrent.Callable;
import org.memvirt.engine.sim.Experiment;
import org.memvirt.engine.sim.Experiments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code memvirt validate FILE}: checks an experiment completely without running it. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check an experiment file: every key, value and technique name, without running it.")
final class ValidateCommand implements Callable<Integer> {
  @Mixin
  ExperimentOptions experiment;

  @Mixin
  PluginOptions plugins;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Experiment e = experiment.load();
    Experiments.validate(e, plugins.registry());
    spec.commandLine().getOut().println((experiment.file == null ? Experiments.DEFAULT_ORIGIN
        : experiment.file.toString()) + ": ok (" + e.vms.size() + " VMs, mmu " + e.mmuType + ")");
    return 0;
  }
}
