package org.memvirt.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.memvirt.engine.sim.RunResult;

/** The per-VM table: one row per metric, one column per VM and one for the host. */
final class ResultTable {
  private ResultTable() {}

  static String render(RunResult r) {
    List<String> columns = new ArrayList<>();
    r.vms().forEach(v -> columns.add(v.name()));
    columns.add("host");
    Set<String> metrics = new LinkedHashSet<>();
    r.vms().forEach(v -> metrics.addAll(v.metrics().keySet()));
    List<String[]> rows = new ArrayList<>();
    for (String m : metrics) {
      String[] row = new String[columns.size() + 1];
      row[0] = m;
      for (int i = 0; i < r.vms().size(); i++) {
        row[i + 1] = format(r.vms().get(i).metrics().get(m));
      }
      row[columns.size()] = format(r.host().get(m));
      rows.add(row);
    }
    int[] width = new int[columns.size() + 1];
    width[0] = "metric".length();
    for (int i = 0; i < columns.size(); i++) {
      width[i + 1] = columns.get(i).length();
    }
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "experiment %s  seed %d  mmu %s  simulated %.3f s%n", r.experiment(),
        r.seed(), r.mmu(), r.simulatedNanos() / 1e9));
    sb.append(pad("metric", width[0], false));
    for (int i = 0; i < columns.size(); i++) {
      sb.append("  ").append(pad(columns.get(i), width[i + 1], true));
    }
    sb.append('\n');
    for (String[] row : rows) {
      sb.append(pad(row[0], width[0], false));
      for (int i = 1; i < row.length; i++) {
        sb.append("  ").append(pad(row[i], width[i], true));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String format(Number n) {
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
