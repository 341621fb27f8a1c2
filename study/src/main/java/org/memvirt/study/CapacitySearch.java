package org.memvirt.study;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.memvirt.api.BadInputException;
import org.memvirt.engine.experiment.Sweep;
import org.memvirt.engine.report.RunResult;
import org.memvirt.engine.run.Experiments;

/**
 * How many units of a VM mix the host holds while every VM meets an objective. The count
 * doubles until a run misses the objective (or fails for lack of memory), then bisection
 * finds the largest that meets it; each count runs once per seed, and the worst VM of the
 * worst seed decides.
 */
public final class CapacitySearch {
  /** One VM of the mix: its position in the file's {@code vms} list, its name, and its copies per unit. */
  public record VmTemplate(int index, String name, int perUnit) {}

  /** One count's outcome: the worst value (NaN if a run failed), where it was, and why it failed if so. */
  public record Probe(int vms, double worst, String where, String failure) {
    /** Whether this count meets {@code goal}. */
    public boolean meets(Objective goal) {
      return failure == null && goal.holds(worst);
    }
  }

  /**
   * The search's answer: the largest count that met the objective ({@code good}, 0 for
   * none), the smallest that did not ({@code bad}, -1 when the search reached its maximum),
   * every count decided, and why the search was stopped before its end (null if it was not).
   */
  public record Answer(int good, int bad, SortedMap<Integer, Probe> tried, String stopped) {}

  private final Path file;
  private final List<String> overrides;
  private final List<VmTemplate> mix;
  private final Objective goal;
  private final int max;
  private final int seeds;
  private final long baseSeed;

  /**
   * @param file the experiment (null: the built-in default), with {@code overrides} applied
   * @param max the most units to try
   * @param seeds runs per count, with the experiment's seed, seed + 1, ...
   */
  public CapacitySearch(Path file, List<String> overrides, List<VmTemplate> mix, Objective goal, int max, int seeds) {
    if (max < 1) {
      throw new BadInputException("--max " + max + ": expected 1 or more copies");
    }
    if (seeds < 1) {
      throw new BadInputException("--seeds " + seeds + ": expected 1 or more runs per count");
    }
    this.file = file;
    this.overrides = List.copyOf(overrides);
    this.mix = List.copyOf(mix);
    this.goal = goal;
    this.max = max;
    this.seeds = seeds;
    this.baseSeed = Experiments.load(file, overrides).seed;
  }

  /** Searches, running each count's seeds on {@code executor}; {@code decided} is told of each count as it is decided. */
  public Answer run(StudyExecutor executor, Stop stop, Consumer<Probe> decided) {
    SortedMap<Integer, Probe> tried = new TreeMap<>();
    int good = 0;
    int bad = -1;
    boolean searching = true;
    for (int n = 1; searching; n = Math.min(2 * n, max)) {
      Probe p = evaluate(n, executor, stop);
      if (p == null) {
        break;
      }
      tried.put(n, p);
      decided.accept(p);
      if (!p.meets(goal)) {
        bad = n;
        break;
      }
      good = n;
      searching = n < max;
    }
    while (bad > good + 1 && !stop.requested()) {
      int mid = (good + bad) >>> 1;
      Probe p = evaluate(mid, executor, stop);
      if (p == null) {
        break;
      }
      tried.put(mid, p);
      decided.accept(p);
      if (p.meets(goal)) {
        good = mid;
      } else {
        bad = mid;
      }
    }
    return new Answer(good, bad, tried, stop.requested() ? stop.reason() : null);
  }

  /** The outcome of {@code n} units, or null when a stop ended its runs before they did. */
  private Probe evaluate(int n, StudyExecutor executor, Stop stop) {
    List<Sweep.Point> runs = new ArrayList<>();
    for (int s = 0; s < seeds; s++) {
      List<String> probe = new ArrayList<>(overrides);
      Map<String, String> settings = new LinkedHashMap<>();
      for (VmTemplate t : mix) {
        String copies = Integer.toString(Math.multiplyExact(n, t.perUnit()));
        probe.add("vms[" + t.index() + "].copies=" + copies);
        settings.put("vms[" + t.index() + "].copies", copies);
      }
      probe.add("seed=" + (baseSeed + s));
      settings.put(Replications.SEED, Long.toString(baseSeed + s));
      runs.add(new Sweep.Point(s, settings, Experiments.load(file, probe)));
    }
    List<PointOutcome> outcomes = executor.run(runs, stop, (now, accesses) -> {});
    if (stop.requested()) {
      return null;
    }
    double worst = Double.NaN;
    String where = null;
    for (int s = 0; s < seeds; s++) {
      PointOutcome o = outcomes.get(s);
      if (o.badInput()) {
        throw new BadInputException(o.failure());
      }
      if (o.failure() != null) {
        return new Probe(n, Double.NaN, "seed " + (baseSeed + s), o.failure());
      }
      RunResult r = o.result();
      List<Map.Entry<String, Number>> values = new ArrayList<>();
      if (goal.host()) {
        values.add(Map.entry(Replications.HOST, value(r.host())));
      } else {
        r.vms().forEach(v -> values.add(Map.entry(v.name(), value(v.metrics()))));
      }
      for (Map.Entry<String, Number> v : values) {
        double x = v.getValue().doubleValue();
        if (Double.isNaN(worst) || goal.worse(x, worst)) {
          worst = x;
          where = v.getKey() + (seeds > 1 ? ", seed " + (baseSeed + s) : "");
        }
      }
    }
    return new Probe(n, worst, where, null);
  }

  private Number value(Map<String, Number> metrics) {
    Number n = metrics.get(goal.metric());
    if (n == null) {
      throw new BadInputException("--objective " + goal + ": " + goal.metric() + " is not a metric of this run; known: "
          + String.join(", ", metrics.keySet()));
    }
    return n;
  }
}
