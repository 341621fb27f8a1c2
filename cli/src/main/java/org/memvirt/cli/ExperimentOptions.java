package org.memvirt.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.memvirt.engine.experiment.Experiment;
import org.memvirt.engine.experiment.Sweep;
import org.memvirt.engine.run.Experiments;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The experiment to use: a file or the built-in default, with overrides. */
final class ExperimentOptions {
  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
      description = "Experiment file (YAML). Without one, the built-in default experiment.")
  Path file;

  @Option(names = "--set", paramLabel = "PATH=VALUE",
      description = "Override a setting, e.g. --set vms[1].memory=1GiB --set mmu.tlb.l2.entries=512; repeatable.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--verify", description = "Check as it runs: the content oracle (every read against the last write) and the frame table at the end.")
  boolean verify;

  Experiment load() {
    return Experiments.load(file, all());
  }

  /** The experiment as a sweep (a sweep of one point when no setting is a list). */
  Sweep loadSweep() {
    return Experiments.sweep(file, all());
  }

  private List<String> all() {
    List<String> all = new ArrayList<>(overrides);
    if (verify) {
      all.add("verify=true");
    }
    return all;
  }
}
