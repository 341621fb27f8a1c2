package org.memvirt.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.memvirt.engine.report.RunResult;

/**
 * A sweep's points grouped by their settings other than {@code seed}: with {@code seed}
 * swept, each group holds one point per seed (its replications); without, one point. For a
 * metric of a VM (or of the host), a group gives the mean over its points that ran to their
 * end (a point an interruption cut short covers less time, and would pull the mean down) and
 * a 95% confidence interval of that mean, from Student's t with n - 1 degrees of freedom.
 */
public final class Replications {
  public static final String SEED = "seed";
  /** Who a host metric belongs to, beside the VMs' names. */
  public static final String HOST = "host";

  /** The mean of n values and the half-width of its 95% confidence interval (NaN when n < 2). */
  public record Estimate(int n, double mean, double ci95) {
    public static Estimate of(List<Double> values) {
      SummaryStatistics s = new SummaryStatistics();
      values.forEach(s::addValue);
      int n = values.size();
      if (n == 0) {
        return new Estimate(0, Double.NaN, Double.NaN);
      }
      double half = n < 2 ? Double.NaN
          : new TDistribution(n - 1).inverseCumulativeProbability(0.975) * s.getStandardDeviation() / Math.sqrt(n);
      return new Estimate(n, s.getMean(), half);
    }
  }

  /** One group: its settings (the swept ones but seed) and the indices of its points. */
  public record Group(Map<String, String> settings, List<Integer> points) {}

  private final SweepRun sweep;
  private final List<Group> groups = new ArrayList<>();

  public Replications(SweepRun sweep) {
    this.sweep = sweep;
    Map<Map<String, String>, List<Integer>> byKey = new LinkedHashMap<>();
    for (int i = 0; i < sweep.points().size(); i++) {
      Map<String, String> key = new LinkedHashMap<>(sweep.points().get(i).settings());
      key.remove(SEED);
      byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
    }
    byKey.forEach((k, v) -> groups.add(new Group(k, List.copyOf(v))));
  }

  /** Whether {@code seed} is swept: groups then hold replications. */
  public boolean replicated() {
    return sweep.axes().contains(SEED);
  }

  /** The swept settings but seed. */
  public List<String> axes() {
    return sweep.axes().stream().filter(a -> !a.equals(SEED)).toList();
  }

  public List<Group> groups() {
    return groups;
  }

  /** {@code metric} of {@code who} (a VM's name, or {@link #HOST}) over the group's points that have it. */
  public Estimate estimate(Group g, String who, String metric) {
    List<Double> values = new ArrayList<>();
    for (int i : g.points()) {
      RunResult r = sweep.results().get(i);
      if (r == null || r.partial() || sweep.failures().get(i) != null) {
        continue;
      }
      Number n = who.equals(HOST) ? r.host().get(metric)
          : r.vms().stream().filter(v -> v.name().equals(who)).findFirst().map(v -> v.metrics().get(metric)).orElse(null);
      if (n != null) {
        values.add(n.doubleValue());
      }
    }
    return Estimate.of(values);
  }

  /** Whether a point of the group was cut short or never ran (a failed point has its reason instead). */
  public boolean partial(Group g) {
    for (int i : g.points()) {
      RunResult r = sweep.results().get(i);
      if (sweep.failures().get(i) == null && (r == null || r.partial())) {
        return true;
      }
    }
    return false;
  }

  /** The VMs of the group's points (in the order they ran), and the host when {@code withHost}. */
  public List<String> who(Group g, boolean withHost) {
    List<String> names = new ArrayList<>();
    for (int i : g.points()) {
      RunResult r = sweep.results().get(i);
      if (r != null) {
        r.vms().forEach(v -> {
          if (!names.contains(v.name())) {
            names.add(v.name());
          }
        });
      }
    }
    if (withHost) {
      names.add(HOST);
    }
    return names;
  }
}
