package org.memvirt.cli;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.memvirt.study.CapacitySearch;
import org.memvirt.study.Objective;
import org.memvirt.study.Replications;
import org.memvirt.study.SweepRun;

/**
 * A sweep's charts: a metric against the first numeric swept setting (else the first one;
 * never {@code seed}), one series per combination of the other settings and per VM (and the
 * host's, when a point has several VMs or the metric is the host's). A numeric setting is a
 * line chart on a numeric axis; one that spans two decades or more is drawn to a log scale,
 * its ticks labelled with the swept values themselves (see {@link #logScale}); any other is a
 * bar chart. With
 * {@code seed} swept, each value is the mean over the seeds with its 95% confidence interval
 * as error bars. And {@code memvirt fit}'s curve.
 */
final class SweepCharts {
  /** A setting whose values span this ratio or more is drawn on a log axis. */
  static final double LOG_X_RATIO = 100;

  private SweepCharts() {}

  /** The chart of {@code metric}; its data is what tests look at. */
  static Chart<?, ?> chart(SweepRun sweep, String metric) {
    Replications reps = new Replications(sweep);
    List<String> axes = reps.axes();
    String xAxis = xAxis(sweep, axes);
    boolean withHost = ResultTable.hostRows(sweep, List.of(metric));
    // series name -> x value (as written) -> estimate
    Map<String, Map<String, Replications.Estimate>> series = new LinkedHashMap<>();
    Set<String> xs = new LinkedHashSet<>();
    int seeds = 0;
    for (Replications.Group g : reps.groups()) {
      String x = xAxis == null ? "all points" : g.settings().get(xAxis);
      xs.add(x);
      List<String> others = new ArrayList<>();
      g.settings().forEach((k, v) -> {
        if (!k.equals(xAxis)) {
          others.add(k + "=" + v);
        }
      });
      for (String who : reps.who(g, withHost)) {
        Replications.Estimate e = reps.estimate(g, who, metric);
        seeds = Math.max(seeds, e.n());
        if (e.n() > 0) {
          String name = who + (others.isEmpty() ? "" : " " + String.join(" ", others));
          series.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(x, e);
        }
      }
    }
    String title = metric + (xAxis == null ? "" : " by " + xAxis)
        + (reps.replicated() ? ", mean of " + seeds + " seeds with 95% confidence interval" : "");
    boolean numeric = xAxis != null && numeric(sweep, xAxis);
    return numeric ? line(title, xAxis, metric, series, reps.replicated())
        : bars(title, xAxis == null ? "" : xAxis, metric, new ArrayList<>(xs), series, reps.replicated());
  }

  private static Chart<?, ?> line(String title, String xAxis, String metric,
      Map<String, Map<String, Replications.Estimate>> series, boolean errors) {
    Plot p = new Plot(title, xAxis, metric);
    if (errors) {
      // Error bars reaching below 0 have no place on a log scale.
      p.linearOnly();
    }
    java.util.TreeSet<Double> values = new java.util.TreeSet<>();
    series.values().forEach(s -> s.keySet().forEach(x -> values.add(Double.parseDouble(x))));
    boolean log = !values.isEmpty() && values.first() > 0 && values.last() / values.first() >= LOG_X_RATIO;
    if (log) {
      logScale(p, values);
      p.note("log scale of " + xAxis);
    }
    for (Map.Entry<String, Map<String, Replications.Estimate>> s : series.entrySet()) {
      TreeMap<Double, Replications.Estimate> sorted = new TreeMap<>();
      s.getValue().forEach((x, e) -> sorted.put(Double.parseDouble(x), e));
      double[] x = new double[sorted.size()];
      double[] y = new double[sorted.size()];
      double[] ci = new double[sorted.size()];
      int i = 0;
      for (Map.Entry<Double, Replications.Estimate> e : sorted.entrySet()) {
        x[i] = log ? log2(e.getKey()) : e.getKey();
        y[i] = e.getValue().mean();
        ci[i] = Double.isNaN(e.getValue().ci95()) ? 0 : e.getValue().ci95();
        i++;
      }
      p.line(s.getKey(), x, y, errors ? ci : null);
    }
    if (!log) {
      p.chart().getStyler().setXAxisDecimalPattern("#,##0.###");
    }
    return p.finish().chart();
  }

  /**
   * A swept setting over decades, to a log scale that labels values: the points sit at the
   * log of their values on a linear axis, whose tick labels are the values again. XChart
   * ticks equally spaced x values at the values themselves, so values that grow by one
   * factor (256, 512, ... 4096) are each labelled; values whose ratios are powers of two
   * (12, 96, 768, 3072) get a tick at every doubling from the smallest, theirs among them;
   * others get round steps of the log, labelled with the values they stand for. (XChart's
   * own log axis labels only powers of ten.)
   */
  private static void logScale(Plot p, java.util.NavigableSet<Double> values) {
    double lo = values.first();
    boolean doublings = values.stream().allMatch(v -> {
      double k = log2(v / lo);
      return Math.abs(k - Math.rint(k)) < 1e-9;
    });
    if (doublings) {
      // A hidden series at every doubling, first, so that the axis's values are equally spaced.
      int steps = (int) Math.rint(log2(values.last() / lo));
      double[] x = new double[steps + 1];
      double[] y = new double[steps + 1];
      for (int k = 0; k <= steps; k++) {
        x[k] = log2(lo * Math.pow(2, k));
        y[k] = Double.NaN;
      }
      x[steps] = log2(values.last());
      var grid = p.chart().addSeries("doublings", x, y);
      grid.setShowInLegend(false);
      grid.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
      grid.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.NONE);
    }
    p.chart().setCustomXAxisTickLabelsFormatter(position -> valueLabel(Math.pow(2, position)));
  }

  /** A value back from its log: 12 (not 11.999999), 3,072, 0.001, 45.25. */
  static String valueLabel(double v) {
    java.math.BigDecimal b = new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros();
    if (b.scale() <= 0) {
      return String.format(java.util.Locale.ROOT, "%,d", b.longValue());
    }
    return b.round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
  }

  private static double log2(double v) {
    return Math.log(v) / Math.log(2);
  }

  private static Chart<?, ?> bars(String title, String xAxis, String metric, List<String> xs,
      Map<String, Map<String, Replications.Estimate>> series, boolean errors) {
    CategoryChart chart = new CategoryChartBuilder().width(Plot.WIDTH).height(Plot.HEIGHT).title(title)
        .xAxisTitle(xAxis).yAxisTitle(metric).build();
    Plot.style(chart);
    chart.getStyler().setYAxisDecimalPattern("#,##0.####");
    chart.getStyler().setErrorBarsColor(Color.BLACK);
    for (Map.Entry<String, Map<String, Replications.Estimate>> s : series.entrySet()) {
      List<Double> ys = new ArrayList<>();
      List<Double> ci = new ArrayList<>();
      for (String x : xs) {
        Replications.Estimate e = s.getValue().get(x);
        ys.add(e == null ? 0.0 : e.mean());
        ci.add(e == null || Double.isNaN(e.ci95()) ? 0.0 : e.ci95());
      }
      if (errors) {
        chart.addSeries(s.getKey(), xs, ys, ci);
      } else {
        chart.addSeries(s.getKey(), xs, ys);
      }
    }
    if (series.isEmpty()) {
      chart.setTitle(title + "  (no point has this metric)");
      chart.addSeries("none", List.of("none"), List.of(0.0));
    }
    return chart;
  }

  /** The x axis: the first numeric swept setting (other than seed), else the first one; null when only seed is swept. */
  static String xAxis(SweepRun sweep, List<String> axes) {
    for (String a : axes) {
      if (numeric(sweep, a)) {
        return a;
      }
    }
    return axes.isEmpty() ? null : axes.get(0);
  }

  private static boolean numeric(SweepRun sweep, String axis) {
    return sweep.points().stream().allMatch(p -> isNumber(p.settings().get(axis)));
  }

  static boolean isNumber(String s) {
    try {
      double d = Double.parseDouble(s);
      return !Double.isNaN(d) && !Double.isInfinite(d);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** {@code memvirt fit}: the worst value against the count of copies ({@code unit}), the objective's bound as a line. */
  static Plot fit(Objective goal, Map<Integer, CapacitySearch.Probe> tried, String unit) {
    Plot p = new Plot("fit: " + goal, unit, goal.metric() + " (worst VM)").linearOnly();
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    tried.forEach((n, point) -> {
      if (!Double.isNaN(point.worst())) {
        x.add((double) n);
        y.add(point.worst());
      }
    });
    if (x.isEmpty()) {
      p.note("every run failed");
      return p.finish();
    }
    double lo = x.get(0);
    double hi = x.get(x.size() - 1);
    p.reference("objective " + goal.op() + " " + Objective.trim(goal.bound()), lo, Math.max(hi, lo + 1),
        goal.bound(), new Color(0x8b0000));
    p.line(goal.metric(), x.stream().mapToDouble(Double::doubleValue).toArray(),
        y.stream().mapToDouble(Double::doubleValue).toArray());
    return p.finish();
  }
}
