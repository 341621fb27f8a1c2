package org.memvirt.cli;

import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.memvirt.api.MetricNames;
import org.memvirt.api.MetricInfo;
import org.memvirt.engine.sim.MetricCatalog;
import org.memvirt.engine.sim.RunResult;

/** The report's charts, drawn with XChart and encoded as PNG. */
final class Charts {
  static final int WIDTH = 900;
  static final int HEIGHT = 420;

  /**
   * The memory gauges drawn over time, with their legends: what the host backs the VM with,
   * what the guest has in use and swapped out, and the VM's target. Reclamation plugins'
   * gauges join when a run reports them.
   */
  static final Map<String, String> MEMORY = memory();

  /** The cumulative event counters drawn over time. */
  static final List<String> EVENTS = List.of(MetricNames.PF_GUEST, MetricNames.EXITS, MetricNames.EPT_VIOLATIONS,
      MetricNames.GUEST_SWAP_INS, MetricNames.PROCESS_EXITS);

  private Charts() {}

  private static Map<String, String> memory() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(MetricNames.CONSUMED, "consumed");
    m.put(MetricNames.GUEST_USED, "guest used");
    m.put(MetricNames.ACTIVE, "active (estimated)");
    m.put(MetricNames.GUEST_SWAPPED, "guest swapped");
    m.put(MetricNames.TARGET, "target");
    m.put(MetricNames.SHARED, "shared");
    m.put(MetricNames.ZERO, "zero");
    m.put(MetricNames.BALLOONED, "ballooned");
    m.put(MetricNames.SWAPPED, "host swapped");
    m.put(MetricNames.COMPRESSED, "compressed");
    return m;
  }

  static {
    System.setProperty("java.awt.headless", "true");
  }

  /**
   * Draws a small chart and throws it away. Java2D registers a shutdown hook the first time
   * it opens a font, which fails once the JVM is shutting down; drawing early lets a run
   * stopped by Ctrl-C still draw its charts.
   */
  static void warmUp() throws IOException {
    XYChart chart = xy("warm-up", "x", "y");
    chart.addSeries("s", new double[] {0, 1}, new double[] {0, 1});
    png(chart);
  }

  /**
   * The installed techniques' own memory gauges (in pages or frames, per VM) that the
   * memory chart draws besides the engine's, with their names as legends.
   */
  static Map<String, String> techniqueGauges(List<MetricInfo> catalog) {
    Map<String, String> m = new LinkedHashMap<>();
    for (MetricInfo info : catalog) {
      boolean memory = info.unit().equals("pages") || info.unit().equals("frames");
      if (info.kind() == MetricInfo.Kind.GAUGE && memory && !MEMORY.containsKey(info.name())
          && !MetricCatalog.ENGINE.contains(info)) {
        m.put(info.name(), info.name());
      }
    }
    return m;
  }

  /** One VM's memory over time, in MiB: the engine's gauges and the techniques' ({@code extra}). */
  static byte[] memory(RunResult r, String vm, Map<String, String> extra) throws IOException {
    XYChart chart = xy("Memory of " + vm, "simulated time (s)", "MiB");
    List<RunResult.Sample> samples = samples(r, vm);
    double[] x = times(samples);
    Map<String, String> gauges = new LinkedHashMap<>(MEMORY);
    gauges.putAll(extra);
    java.util.Set<String> own = r.vm(vm).metrics().keySet();
    for (Map.Entry<String, String> g : gauges.entrySet()) {
      // The VM's own gauges only: the host's ride along in the samples (KSM's pages_sharing, say).
      if (samples.isEmpty() || !own.contains(g.getKey())) {
        continue;
      }
      // A gauge may appear during the run (created on first use, an estimate once known):
      // before, the line has a gap.
      double[] y = new double[samples.size()];
      boolean any = false;
      for (int i = 0; i < y.length; i++) {
        Long v = samples.get(i).values().get(g.getKey());
        y[i] = v == null ? Double.NaN : v * 4096.0 / (1 << 20);
        any |= v != null && v != 0;
      }
      // A technique's gauge that stays at 0 (nothing ballooned, say) is left out.
      if (any || g.getKey().equals(MetricNames.CONSUMED)) {
        chart.addSeries(g.getValue(), x, y);
      }
    }
    return png(chart);
  }

  /** Cumulative faults and exits of every VM over time (counters that stay 0 are left out). */
  static byte[] events(RunResult r) throws IOException {
    XYChart chart = xy("Faults and exits (cumulative)", "simulated time (s)", "events");
    for (RunResult.VmResult v : r.vms()) {
      List<RunResult.Sample> samples = samples(r, v.name());
      double[] x = times(samples);
      for (String m : EVENTS) {
        double[] y = new double[samples.size()];
        boolean any = false;
        for (int i = 0; i < y.length; i++) {
          Long val = samples.get(i).values().get(m);
          y[i] = val == null ? 0 : val;
          any |= y[i] != 0;
        }
        if (any) {
          chart.addSeries(v.name() + " " + m, x, y);
        }
      }
    }
    if (chart.getSeriesMap().isEmpty()) {
      chart.setTitle("Faults and exits (cumulative): none");
      double[] x = {0, r.simulatedNanos() / 1e9};
      chart.addSeries("none", x, new double[] {0, 0});
    }
    return png(chart);
  }

  /**
   * A sweep's {@code metric} against its first swept setting: one bar group per value, one
   * series per combination of the other settings and VM (and the host's totals, when there
   * are several VMs or the metric is the host's).
   */
  static byte[] sweep(SweepRun sweep, String metric) throws IOException {
    String xAxis = sweep.axes().get(0);
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
        .title(metric + " by " + xAxis).xAxisTitle(xAxis).yAxisTitle(metric).build();
    style(chart);
    chart.getStyler().setYAxisDecimalPattern("#,##0.####");
    Set<String> categories = new LinkedHashSet<>();
    Map<String, Map<String, Double>> series = new LinkedHashMap<>();
    boolean withHost = ResultTable.hostRows(sweep, List.of(metric));
    for (int i = 0; i < sweep.points().size(); i++) {
      RunResult r = sweep.results().get(i);
      if (r == null) {
        continue;
      }
      Map<String, String> settings = sweep.points().get(i).settings();
      String category = settings.get(xAxis);
      categories.add(category);
      List<String> others = new ArrayList<>();
      settings.forEach((k, v) -> {
        if (!k.equals(xAxis)) {
          others.add(k + "=" + v);
        }
      });
      Map<String, Number> values = new LinkedHashMap<>();
      r.vms().forEach(v -> values.put(v.name(), v.metrics().get(metric)));
      if (withHost) {
        values.put(ResultTable.HOST, r.host().get(metric));
      }
      values.forEach((who, n) -> {
        if (n != null) {
          String name = who + (others.isEmpty() ? "" : " " + String.join(" ", others));
          series.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(category, n.doubleValue());
        }
      });
    }
    List<String> xs = new ArrayList<>(categories);
    for (Map.Entry<String, Map<String, Double>> s : series.entrySet()) {
      List<Double> ys = new ArrayList<>();
      xs.forEach(c -> ys.add(s.getValue().getOrDefault(c, 0.0)));
      chart.addSeries(s.getKey(), xs, ys);
    }
    return png(chart);
  }

  /** {@code memvirt fit}: the worst value against the VM count, the objective's bound as a line. */
  static byte[] fit(Objective goal, Map<Integer, FitCommand.Point> tried) throws IOException {
    XYChart chart = xy("fit: " + goal, "VMs", goal.metric() + " (worst VM)");
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    tried.forEach((n, p) -> {
      if (!Double.isNaN(p.worst())) {
        x.add((double) n);
        y.add(p.worst());
      }
    });
    if (!x.isEmpty()) {
      chart.addSeries(goal.metric(), x, y);
      double lo = x.get(0);
      double hi = x.get(x.size() - 1);
      chart.addSeries("objective " + goal.op() + " " + Objective.trim(goal.bound()),
          new double[] {lo, Math.max(hi, lo + 1)}, new double[] {goal.bound(), goal.bound()});
    } else {
      chart.setTitle("fit: " + goal + " (every run failed)");
      chart.addSeries("none", new double[] {0, 1}, new double[] {0, 0});
    }
    return png(chart);
  }

  private static List<RunResult.Sample> samples(RunResult r, String vm) {
    return r.timeSeries().stream().filter(s -> s.vm().equals(vm)).toList();
  }

  private static double[] times(List<RunResult.Sample> samples) {
    double[] x = new double[samples.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = samples.get(i).timeNanos() / 1e9;
    }
    return x;
  }

  private static XYChart xy(String title, String xTitle, String yTitle) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    style(chart);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    chart.getStyler().setMarkerSize(4);
    chart.getStyler().setYAxisDecimalPattern("#,##0.#");
    return chart;
  }

  private static void style(Chart<?, ?> chart) {
    Styler s = chart.getStyler();
    s.setChartBackgroundColor(Color.WHITE);
    s.setLegendPosition(Styler.LegendPosition.OutsideS);
    s.setLegendLayout(Styler.LegendLayout.Horizontal);
    s.setAntiAlias(true);
  }

  private static byte[] png(Chart<?, ?> chart) throws IOException {
    return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
  }
}
