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
 * The terminal's tables: a run's metrics (one row per metric, a column per VM and one for
 * the host), and a sweep's points (one row per point and VM, the swept settings as columns).
 */
final class ResultTable {
  private ResultTable() {}

  /** The one-line header of a run: what ran, and whether it is complete. */
  static String header(RunResult r) {
    String s = String.format(Locale.ROOT, "experiment %s  seed %d  mmu %s  simulated %.3f s", r.experiment(),
        r.seed(), r.mmu(), r.simulatedNanos() / 1e9);
    if (!r.partial()) {
      return s;
    }
    return s + String.format(Locale.ROOT, " of %.3f s  PARTIAL (%s)", r.durationNanos() / 1e9,
        r.failure() == null ? "interrupted" : r.failure().startsWith("out of Java heap") ? "stopped: out of Java heap"
            : r.failure().contains("out of memory") ? "stopped: out of memory" : "stopped: " + r.failure());
  }

  static String render(RunResult r) {
    return header(r) + "\n" + align(rows(r));
  }

  /** The run's table as rows of cells; the first row is the header. */
  static List<List<String>> rows(RunResult r) {
    List<String> header = new ArrayList<>(List.of("metric"));
    r.vms().forEach(v -> header.add(v.name()));
    header.add("host");
    Set<String> metrics = new LinkedHashSet<>();
    r.vms().forEach(v -> metrics.addAll(v.metrics().keySet()));
    List<List<String>> rows = new ArrayList<>(List.of(header));
    // Then the host's own gauges (free frames, state, sharing).
    r.host().keySet().stream().filter(m -> !metrics.contains(m)).forEach(metrics::add);
    for (String m : metrics) {
      List<String> row = new ArrayList<>(List.of(m));
      r.vms().forEach(v -> row.add(format(v.metrics().get(m))));
      row.add(format(r.host().get(m)));
      rows.add(row);
    }
    return rows;
  }

  /**
   * The report's table: the run's rows with each metric's unit beside its name, and sizes in
   * pages (or frames) followed by the MiB they make, as the README speaks of memory.
   */
  static List<List<String>> reportRows(RunResult r, Map<String, String> units) {
    List<List<String>> rows = rows(r);
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      List<String> row = rows.get(i);
      String metric = row.get(0);
      String unit = i == 0 ? "unit" : units.getOrDefault(metric, "");
      List<String> cells = new ArrayList<>(List.of(metric, unit));
      boolean memory = i > 0 && (unit.equals("pages") || unit.equals("frames"));
      for (int c = 1; c < row.size(); c++) {
        String cell = row.get(c);
        cells.add(memory && !cell.equals("-") ? cell + " (" + mib(cell) + " MiB)" : cell);
      }
      out.add(cells);
    }
    return out;
  }

  private static String mib(String pages) {
    double p = Double.parseDouble(pages.replace(",", ""));
    return String.format(Locale.ROOT, "%,.1f", p * 4096 / (1 << 20));
  }

  /** The name of a sweep's rows of host totals. */
  static final String HOST = Replications.HOST;

  /** A sweep's table: point, swept settings, VM (and the host, for several VMs), then {@code metrics}. */
  static List<List<String>> sweepRows(SweepRun sweep, List<String> metrics) {
    List<String> header = new ArrayList<>(List.of("point"));
    header.addAll(sweep.axes());
    header.add("vm");
    header.addAll(metrics);
    List<List<String>> rows = new ArrayList<>(List.of(header));
    boolean hostRows = hostRows(sweep, metrics);
    for (int i = 0; i < sweep.points().size(); i++) {
      RunResult r = sweep.results().get(i);
      String point = i + (sweep.failures().get(i) != null ? " (failed)" : r == null ? " (not run)"
          : r.partial() ? " (partial)" : "");
      List<RunResult.VmResult> vms = r == null ? List.of() : r.vms();
      // A point that never ran still gets its row, with dashes.
      for (int v = 0; v < Math.max(1, vms.size()); v++) {
        RunResult.VmResult vm = v < vms.size() ? vms.get(v) : null;
        List<String> row = new ArrayList<>(List.of(point));
        row.addAll(sweep.points().get(i).settings().values());
        row.add(vm == null ? "-" : vm.name());
        metrics.forEach(m -> row.add(vm == null ? "-" : format(vm.metrics().get(m))));
        rows.add(row);
      }
      if (r != null && hostRows) {
        List<String> row = new ArrayList<>(List.of(point));
        row.addAll(sweep.points().get(i).settings().values());
        row.add(HOST);
        metrics.forEach(m -> row.add(format(r.host().get(m))));
        rows.add(row);
      }
    }
    return rows;
  }

  /**
   * Whether a sweep's table and chart show the host's totals: when a point has several VMs to
   * add up, or a metric is the host's alone.
   */
  static boolean hostRows(SweepRun sweep, List<String> metrics) {
    for (RunResult r : sweep.results()) {
      if (r != null && (r.vms().size() > 1
          || metrics.stream().anyMatch(m -> r.vms().stream().noneMatch(v -> v.metrics().containsKey(m))))) {
        return true;
      }
    }
    return false;
  }

  /**
   * With {@code seed} swept: one row per combination of the other settings and VM (and the
   * host), the number of seeds that ran, and each metric's mean ± the half-width of its 95%
   * confidence interval.
   */
  static List<List<String>> replicationRows(SweepRun sweep, List<String> metrics) {
    Replications reps = new Replications(sweep);
    List<String> header = new ArrayList<>(reps.axes());
    header.addAll(List.of("vm", "seeds"));
    header.addAll(metrics);
    List<List<String>> rows = new ArrayList<>(List.of(header));
    boolean hostRows = hostRows(sweep, metrics);
    for (Replications.Group g : reps.groups()) {
      for (String who : reps.who(g, hostRows)) {
        List<String> row = new ArrayList<>(g.settings().values());
        row.add(who);
        Replications.Estimate first = metrics.isEmpty() ? null : reps.estimate(g, who, metrics.get(0));
        row.add(first == null ? "-" : Integer.toString(first.n()));
        for (String m : metrics) {
          row.add(estimate(reps.estimate(g, who, m)));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** {@code mean ± ci95}, with as many significant digits as the interval warrants. */
  static String estimate(Replications.Estimate e) {
    if (e.n() == 0) {
      return "-";
    }
    if (Double.isNaN(e.ci95())) {
      return String.format(Locale.ROOT, "%,.4g", e.mean());
    }
    return String.format(Locale.ROOT, "%,.4g ± %,.2g", e.mean(), e.ci95());
  }

  /** One line per failed point, with its reason; empty when none failed. */
  static String failures(SweepRun sweep) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < sweep.failures().size(); i++) {
      if (sweep.failures().get(i) != null) {
        sb.append("point ").append(i).append(" failed: ").append(sweep.failures().get(i)).append('\n');
      }
    }
    return sb.toString();
  }

  /** Rows as aligned text: the first column left-aligned, the others right-aligned. */
  static String align(List<List<String>> rows) {
    int columns = rows.get(0).size();
    int[] width = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (List<String> row : rows) {
      for (int i = 0; i < columns; i++) {
        if (i > 0) {
          sb.append("  ");
        }
        sb.append(pad(row.get(i), width[i], i > 0));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  static String format(Number n) {
    if (n == null) {
      return "-";
    }
    if (n instanceof Double d) {
      return String.format(Locale.ROOT, "%.4f", d);
    }
    return String.format(Locale.ROOT, "%,d", n.longValue());
  }

  private static String pad(String s, int width, boolean right) {
    String fill = " ".repeat(Math.max(0, width - s.length()));
    return right ? fill + s : s + fill;
  }
}
