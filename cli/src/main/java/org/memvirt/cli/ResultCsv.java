package org.memvirt.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.memvirt.engine.report.RunResult;
import org.memvirt.study.Replications;
import org.memvirt.study.SweepRun;

/**
 * Results as CSV (RFC 4180 quoting, one line per row): the per-VM totals, the time series, and
 * a sweep's points. Every file has a {@code partial} column: true in the rows of a run that
 * stopped early (interrupted, out of memory), and in every row of a folder whose writing
 * failed part way.
 */
final class ResultCsv {
  private ResultCsv() {}

  /** {@code vms.csv}: one row per VM, every metric. */
  static String vms(RunResult r) {
    return vms(r, false);
  }

  /** {@code vms.csv}, marked partial also when {@code incomplete} (the folder's writing failed). */
  static String vms(RunResult r, boolean incomplete) {
    Set<String> metrics = metricNames(r);
    String partial = Boolean.toString(r.partial() || incomplete);
    StringBuilder sb = new StringBuilder();
    row(sb, concat(List.of("vm", "partial"), metrics));
    for (RunResult.VmResult v : r.vms()) {
      List<String> cells = new ArrayList<>(List.of(v.name(), partial));
      metrics.forEach(m -> cells.add(number(v.metrics().get(m))));
      row(sb, cells);
    }
    return sb.toString();
  }

  /**
   * {@code timeseries.csv}: one row per sample and VM: the time in seconds, the VM, and
   * every metric that changes over the run (in any VM).
   */
  static String timeSeries(RunResult r, boolean incomplete) {
    List<String> changing = changingMetrics(r.timeSeries());
    String partial = Boolean.toString(r.partial() || incomplete);
    StringBuilder sb = new StringBuilder();
    row(sb, concat(List.of("time_s", "vm", "partial"), changing));
    for (RunResult.Sample s : r.timeSeries()) {
      List<String> cells = new ArrayList<>(List.of(seconds(s.timeNanos()), s.vm(), partial));
      changing.forEach(m -> cells.add(number(s.values().get(m))));
      row(sb, cells);
    }
    return sb.toString();
  }

  /** The metrics whose value is not the same in every sample of a VM. */
  static List<String> changingMetrics(List<RunResult.Sample> samples) {
    Set<String> all = new LinkedHashSet<>();
    samples.forEach(s -> all.addAll(s.values().keySet()));
    List<String> out = new ArrayList<>();
    for (String m : all) {
      // A metric that appears during the run (created on first use) changes too.
      Map<String, java.util.Optional<Long>> first = new java.util.HashMap<>();
      boolean changes = false;
      for (RunResult.Sample s : samples) {
        java.util.Optional<Long> v = java.util.Optional.ofNullable(s.values().get(m));
        java.util.Optional<Long> seen = first.putIfAbsent(s.vm(), v);
        if (seen != null && !seen.equals(v)) {
          changes = true;
          break;
        }
      }
      if (changes) {
        out.add(m);
      }
    }
    return out;
  }

  /**
   * {@code sweep.csv}: one row per point and VM (and one of the host's totals when a point has
   * several VMs): the point, its swept settings, every metric.
   */
  static String sweep(SweepRun sweep) {
    return sweep(sweep, false);
  }

  /** {@code sweep.csv}, every row marked partial when {@code incomplete} (the folder's writing failed). */
  static String sweep(SweepRun sweep, boolean incomplete) {
    boolean withHost = ResultTable.hostRows(sweep, List.of());
    Set<String> metrics = sweepMetrics(sweep, withHost);
    StringBuilder sb = new StringBuilder();
    List<String> header = new ArrayList<>(List.of("point"));
    header.addAll(sweep.axes());
    header.addAll(List.of("seed", "partial", "failure", "vm"));
    header.addAll(metrics);
    row(sb, header);
    for (int i = 0; i < sweep.points().size(); i++) {
      RunResult r = sweep.results().get(i);
      if (r == null) {
        if (sweep.failures().get(i) != null) {
          // A point that failed before it had a result: its settings and its reason.
          List<String> cells = new ArrayList<>(List.of(Integer.toString(i)));
          cells.addAll(sweep.points().get(i).settings().values());
          cells.addAll(List.of(Long.toString(sweep.points().get(i).experiment().seed), Boolean.toString(incomplete),
              failure(sweep, i), ""));
          metrics.forEach(m -> cells.add(""));
          row(sb, cells);
        }
        continue;
      }
      for (RunResult.VmResult v : r.vms()) {
        List<String> cells = new ArrayList<>(List.of(Integer.toString(i)));
        cells.addAll(sweep.points().get(i).settings().values());
        cells.addAll(List.of(Long.toString(r.seed()), Boolean.toString(r.partial() || incomplete), failure(sweep, i),
            v.name()));
        metrics.forEach(m -> cells.add(number(v.metrics().get(m))));
        row(sb, cells);
      }
      if (withHost) {
        List<String> cells = new ArrayList<>(List.of(Integer.toString(i)));
        cells.addAll(sweep.points().get(i).settings().values());
        cells.addAll(List.of(Long.toString(r.seed()), Boolean.toString(r.partial() || incomplete), failure(sweep, i),
            ResultTable.HOST));
        metrics.forEach(m -> cells.add(number(r.host().get(m))));
        row(sb, cells);
      }
    }
    return sb.toString();
  }

  /**
   * {@code replications.csv}, with {@code seed} swept: one row per combination of the other
   * settings and VM (and the host): the number of seeds that ran to their end, whether some
   * did not ({@code partial}: interrupted or never started), and for every metric its mean
   * and the half-width of its 95% confidence interval (Student's t).
   */
  static String replications(SweepRun sweep, boolean incomplete) {
    Replications reps = new Replications(sweep);
    boolean withHost = ResultTable.hostRows(sweep, List.of());
    Set<String> metrics = sweepMetrics(sweep, withHost);
    StringBuilder sb = new StringBuilder();
    List<String> header = new ArrayList<>(reps.axes());
    header.addAll(List.of("vm", "seeds", "partial"));
    metrics.forEach(m -> header.addAll(List.of(m + "_mean", m + "_ci95")));
    row(sb, header);
    for (Replications.Group g : reps.groups()) {
      for (String who : reps.who(g, withHost)) {
        List<String> cells = new ArrayList<>(g.settings().values());
        cells.add(who);
        int n = 0;
        List<String> values = new ArrayList<>();
        for (String m : metrics) {
          Replications.Estimate e = reps.estimate(g, who, m);
          n = Math.max(n, e.n());
          values.add(e.n() == 0 ? "" : number(e.mean()));
          values.add(Double.isNaN(e.ci95()) ? "" : number(e.ci95()));
        }
        cells.add(Integer.toString(n));
        cells.add(Boolean.toString(incomplete || reps.partial(g)));
        cells.addAll(values);
        row(sb, cells);
      }
    }
    return sb.toString();
  }

  /** Every metric of the sweep's points: their VMs', and the host's when it has rows. */
  private static Set<String> sweepMetrics(SweepRun sweep, boolean withHost) {
    Set<String> metrics = new LinkedHashSet<>();
    sweep.results().forEach(r -> {
      if (r != null) {
        metrics.addAll(metricNames(r));
        if (withHost) {
          metrics.addAll(r.host().keySet());
        }
      }
    });
    return metrics;
  }

  private static String failure(SweepRun sweep, int i) {
    String f = sweep.failures().get(i);
    return f == null ? "" : f;
  }

  private static Set<String> metricNames(RunResult r) {
    Set<String> metrics = new LinkedHashSet<>();
    r.vms().forEach(v -> metrics.addAll(v.metrics().keySet()));
    return metrics;
  }

  private static List<String> concat(List<String> a, java.util.Collection<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  static String seconds(long nanos) {
    return java.math.BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
  }

  static String number(Number n) {
    if (n == null) {
      return "";
    }
    if (n instanceof Double d) {
      return String.format(Locale.ROOT, "%.6f", d);
    }
    return Long.toString(n.longValue());
  }

  private static void row(StringBuilder sb, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(quote(cells.get(i)));
    }
    sb.append('\n');
  }

  static String quote(String cell) {
    if (cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
      return '"' + cell.replace("\"", "\"\"") + '"';
    }
    return cell;
  }
}
