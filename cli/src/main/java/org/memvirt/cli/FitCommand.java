package org.memvirt.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.memvirt.api.BadInputException;
import org.memvirt.engine.config.ConfigNode;
import org.memvirt.engine.run.Experiments;
import org.memvirt.study.CapacitySearch.VmTemplate;
import org.memvirt.study.CapacitySearch;
import org.memvirt.study.LocalExecutor;
import org.memvirt.study.Objective;
import org.memvirt.study.StudyExecutor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code memvirt fit FILE --objective METRIC<=X}: how many copies of one VM of the experiment
 * the host holds while every VM meets the objective. The count doubles until a run misses
 * the objective (or fails for lack of memory), then bisection finds the largest that meets
 * it; each count runs once per seed, and the worst VM of the worst seed decides.
 */
@Command(name = "fit", mixinStandardHelpOptions = true,
    description = "Find how many copies of a VM the host holds while every VM meets a service objective "
        + "(e.g. --objective elapsed_slowdown<=1.2): doubling, then bisection over the VM count.")
final class FitCommand implements Callable<Integer> {
  @Mixin
  ExperimentOptions experiment;

  @Mixin
  PluginOptions plugins;

  @Option(names = "--objective", required = true, paramLabel = "METRIC<=VALUE",
      description = "The service objective every VM must meet, e.g. elapsed_slowdown<=1.2, accesses_per_s>=50000; "
          + "host.METRIC for a host metric (host.pswpin<=0).")
  String objective;

  @Option(names = "--vm", paramLabel = "NAME[:K]",
      description = "The VM to copy (default: the first). Repeated, a mix: each unit holds K copies of each "
          + "(K defaults to 1), e.g. --vm web:2 --vm db.")
  List<String> vm;

  @Option(names = "--max", defaultValue = "256", description = "The most copies to try (default ${DEFAULT-VALUE}).")
  int max;

  @Option(names = "--seeds", defaultValue = "1",
      description = "Runs per count, with seeds seed, seed+1, ...; the worst decides (default ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = "--threads", description = "Runs at once (default: the available cores).")
  Integer threads;

  @Option(names = "--out", paramLabel = "DIR", description = "Write fit.csv and fit.png (the worst value against the VM count).")
  Path out;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  /** Where the search's stop comes from: the process's signals (tests hand one in). */
  java.util.function.Supplier<Interruption> signals = Interruption::install;

  /** Told of each count as it is decided (tests stop the search there). */
  java.util.function.Consumer<CapacitySearch.Probe> decided = p -> {};

  @Override
  public Integer call() throws Exception {
    Objective goal = Objective.parse(objective);
    List<VmTemplate> mix = templates();
    CapacitySearch search = new CapacitySearch(experiment.file, experiment.overrides, mix, goal, max, seeds);
    // Checked before the search: it can take minutes.
    OutputFolder folder = out == null ? null : OutputFolder.create(out, RunCharts.Catalog.NONE);
    StudyExecutor executor = new LocalExecutor(plugins.registry(), threads == null
        ? Runtime.getRuntime().availableProcessors() : threads);
    try (Interruption interruption = signals.get()) {
      CapacitySearch.Answer answer = search.run(executor, interruption.stop(), decided);
      String stopped = answer.stopped();
      report(goal, answer.good(), answer.bad(), answer.tried(), mix, stopped);
      if (folder != null) {
        try {
          write(folder, goal, answer.tried(), mix, stopped);
        } catch (OutputIncomplete e) {
          throw new OutputIncomplete((stopped == null ? "" : stopped + "; ") + e.getMessage());
        }
      }
      if (stopped != null) {
        spec.commandLine().getErr().println("memvirt: " + stopped + "; the counts decided so far are printed"
            + (folder == null ? "" : " and written to " + folder.dir() + ", marked partial"));
        return interruption.exitCode();
      }
      return 0;
    }
  }

  /** The VMs to copy, from {@code --vm} (by default the first of the file, one per unit). */
  private List<VmTemplate> templates() {
    ConfigNode vms = Experiments.tree(experiment.file).get("vms");
    if (vms == null || vms.kind() != ConfigNode.Kind.LIST || vms.elements().isEmpty()) {
      throw new BadInputException((experiment.file == null ? "the default experiment" : experiment.file.toString())
          + ": expected a list of VMs (vms:) to copy one of");
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < vms.elements().size(); i++) {
      ConfigNode name = vms.elements().get(i).get("name");
      names.add(name == null ? "vm" + i : name.scalar());
    }
    if (vm == null || vm.isEmpty()) {
      return List.of(new VmTemplate(0, names.get(0), 1));
    }
    List<VmTemplate> mix = new ArrayList<>();
    for (String option : vm) {
      int colon = option.lastIndexOf(':');
      String name = colon < 0 ? option : option.substring(0, colon);
      int perUnit = 1;
      if (colon >= 0) {
        try {
          perUnit = Integer.parseInt(option.substring(colon + 1));
        } catch (NumberFormatException e) {
          perUnit = 0;
        }
        if (perUnit < 1) {
          throw new BadInputException("--vm " + option + ": expected NAME or NAME:K with K a count of 1 or more");
        }
      }
      int index = names.indexOf(name);
      if (index < 0) {
        throw new BadInputException("--vm " + name + ": expected the name of a VM in the file ("
            + String.join(", ", names) + ")");
      }
      if (mix.stream().anyMatch(t -> t.index() == index)) {
        throw new BadInputException("--vm " + option + ": " + name + " is named twice");
      }
      mix.add(new VmTemplate(index, name, perUnit));
    }
    return mix;
  }

  /** What a unit is, for the report: {@code 'web'}, or {@code the mix 2 x 'web' + 'db'}. */
  private String unit(List<VmTemplate> mix) {
    if (mix.size() == 1 && mix.get(0).perUnit() == 1) {
      return vm == null || vm.isEmpty() ? "the first VM" : "'" + mix.get(0).name() + "'";
    }
    List<String> parts = new ArrayList<>();
    mix.forEach(t -> parts.add((t.perUnit() == 1 ? "" : t.perUnit() + " x ") + "'" + t.name() + "'"));
    return "the mix " + String.join(" + ", parts);
  }

  private void report(Objective goal, int good, int bad, Map<Integer, CapacitySearch.Probe> tried, List<VmTemplate> mix,
      String stopped) {
    var o = spec.commandLine().getOut();
    String copies = unit(mix);
    int perUnit = mix.stream().mapToInt(VmTemplate::perUnit).sum();
    if (stopped != null) {
      o.printf("fit: %s before the search ended%s%n", stopped, tried.isEmpty() ? ", with no count decided" : "");
    }
    if (stopped != null && good == 0 && bad < 0) {
      o.flush();
      return;
    }
    if (good == 0) {
      o.printf("fit: not even 1 copy of %s meets %s%n", copies, goal);
    } else {
      CapacitySearch.Probe p = tried.get(good);
      o.printf("%s%d copies of %s%s meet %s (worst %s: %s)%n", stopped == null ? "fit: " : "so far: ", good, copies,
          perUnit == 1 ? "" : " (" + good * perUnit + " VMs)", goal, p.where(), Objective.trim(p.worst()));
    }
    if (bad > 0) {
      CapacitySearch.Probe p = tried.get(bad);
      o.printf(Locale.ROOT, "at %d: %s%n", bad, p.failure() != null ? "the run failed: " + p.failure()
          : goal.metric() + " " + Objective.trim(p.worst()) + " (" + p.where() + ")");
    } else if (stopped == null) {
      o.printf("(the search stopped at --max %d)%n", max);
    }
    StringBuilder sb = new StringBuilder("tried:");
    tried.forEach((n, p) -> sb.append(' ').append(n).append(p.meets(goal) ? "" : "x"));
    o.println(sb);
    o.flush();
  }

  /**
   * fit.csv, a row per count decided ({@code partial} true in every row when the search was
   * stopped, or the folder's writing failed), and fit.png.
   */
  private void write(OutputFolder folder, Objective goal, Map<Integer, CapacitySearch.Probe> tried, List<VmTemplate> mix,
      String stopped) throws Exception {
    folder.writeMarked("fit.csv", why -> {
      String partial = Boolean.toString(stopped != null || why != null);
      StringBuilder csv = new StringBuilder("copies,meets," + goal.metric() + ",worst_at,failure,partial\n");
      tried.forEach((n, p) -> csv.append(n).append(',').append(p.meets(goal)).append(',')
          .append(Double.isNaN(p.worst()) ? "" : Objective.trim(p.worst())).append(',')
          .append(p.where() == null ? "" : ResultCsv.quote(p.where())).append(',')
          .append(p.failure() == null ? "" : ResultCsv.quote(p.failure())).append(',').append(partial).append('\n'));
      return csv.toString();
    });
    folder.write("fit.png", SweepCharts.fit(goal, tried, "copies of " + unit(mix)
        + (stopped == null ? "" : " (partial: " + stopped + ")")).png());
  }
}
