package org.memvirt.cli;

import java.util.concurrent.Callable;
import org.memvirt.engine.sim.Experiment;
import org.memvirt.engine.sim.Experiments;
import org.memvirt.engine.sim.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code memvirt run [FILE]}: runs an experiment and prints a per-VM table (or JSON). */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run an experiment (the built-in default without FILE) and print its metrics per VM.")
final class RunCommand implements Callable<Integer> {
  @Mixin
  ExperimentOptions experiment;

  @Mixin
  PluginOptions plugins;

  @Option(names = "--json", description = "Print the summary as JSON instead of a table.")
  boolean json;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;


  @Override
  public Integer call() {
    Experiment e = experiment.load();
    RunResult result = Experiments.run(e, plugins.registry());
    spec.commandLine().getOut().print(json ? ResultJson.render(result, e) : ResultTable.render(result));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
