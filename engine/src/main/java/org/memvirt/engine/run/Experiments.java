package org.memvirt.engine.run;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.memvirt.engine.config.ConfigNode;
import org.memvirt.engine.config.Overrides;
import org.memvirt.engine.config.YamlTree;
import org.memvirt.engine.experiment.Experiment;
import org.memvirt.engine.experiment.Sweep;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.report.RunResult;

/** Loading experiments: from a file or the built-in default, with {@code --set} overrides. */
public final class Experiments {
  /** Name of the built-in default experiment, as errors cite it. */
  public static final String DEFAULT_ORIGIN = "(built-in default experiment)";
  private static final String DEFAULT_RESOURCE = "/org/memvirt/engine/default-experiment.yaml";

  private Experiments() {}

  /** The experiment tree of {@code file}, or of the built-in default when null. */
  public static ConfigNode tree(Path file) {
    if (file != null) {
      return YamlTree.read(file);
    }
    try (InputStream in = Experiments.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the default experiment is missing from the class path");
      }
      return YamlTree.read(in, DEFAULT_ORIGIN);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads {@code file} (or the default), applies overrides, and checks the engine's keys. */
  public static Experiment load(Path file, List<String> overrides) {
    return new Experiment(tree(file, overrides), name(file));
  }

  /**
   * Reads {@code file} (or the default) with overrides as a sweep: every list of plain
   * values is an axis. An experiment without lists is a sweep of one point.
   */
  public static Sweep sweep(Path file, List<String> overrides) {
    return new Sweep(tree(file, overrides), name(file));
  }

  private static ConfigNode tree(Path file, List<String> overrides) {
    ConfigNode tree = tree(file);
    Overrides.apply(tree, overrides);
    return tree;
  }

  /** Parses an experiment from YAML text, as a sweep. */
  public static Sweep parseSweep(String yaml, String origin) {
    return new Sweep(YamlTree.parse(yaml, origin), "experiment");
  }

  /** Parses an experiment from YAML text (for tests and library users). */
  public static Experiment parse(String yaml, String origin) {
    return new Experiment(YamlTree.parse(yaml, origin), "experiment");
  }

  /** Builds and runs one experiment. */
  public static RunResult run(Experiment experiment, PluginRegistry registry) {
    return new Simulation(experiment, registry).run();
  }

  /** Checks an experiment completely (plugins read their sections too) without running it. */
  public static void validate(Experiment experiment, PluginRegistry registry) {
    new Simulation(experiment, registry);
  }

  /** The experiment's default name: its file's name without the extension. */
  private static String name(Path file) {
    if (file == null) {
      return "two-vms";
    }
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }
}
