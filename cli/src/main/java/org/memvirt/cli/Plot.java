package org.memvirt.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A line chart that stays readable: each line gets its own dash pattern and (when it has
 * few points) its own marker besides its color, so lines that coincide still show; lines
 * that are zero throughout are left out and named in a note; and when the values span three
 * decades or more the y axis becomes logarithmic. Filled layers and bands are polygons, so
 * that the legend shows them as filled boxes. Notes go into the legend, whole and wrapped,
 * never cut. A chart over simulated time ticks at round seconds, shades the warm-up and
 * scales to the measured window after it; one with {@link #clipTransients} keeps a short
 * spike from flattening everything else, saying what it clipped. The chart's data (its
 * series) is what tests look at; {@link #png()} draws it.
 */
final class Plot {
  static final int WIDTH = 1000;
  static final int HEIGHT = 420;
  /** Dash patterns in turn: solid, dashed, dotted, dash-dot, long dashes. */
  private static final float[][] DASHES = {null, {7f, 4f}, {2f, 3f}, {9f, 3f, 2f, 3f}, {14f, 5f}};
  private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
      SeriesMarkers.TRIANGLE_UP, SeriesMarkers.CROSS, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.PLUS};
  /** Characters a line of the legend's note holds. */
  private static final int NOTE_WIDTH = 34;
  /** The warm-up's shade: light, and translucent over the layers under it. */
  private static final Color WARM_UP = new Color(120, 120, 120, 45);
  /** More points than this and markers would hide the lines. */
  private static final int MARKERS_UP_TO = 40;
  /** A y range of this ratio or more (max over min of positive values) is drawn on a log scale. */
  static final double LOG_RATIO = 1000;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  /**
   * Draws a small chart and throws it away. Java2D registers a shutdown hook the first time
   * it opens a font, which fails once the JVM is shutting down; drawing early lets a run
   * stopped by Ctrl-C still draw its charts.
   */
  static void warmUp() throws IOException {
    new Plot("warm-up", "x", "y").line("s", new double[] {0, 1}, new double[] {0, 1}).finish().png();
  }

  /** Tableau's ten colors: distinct, and none too pale to read on white. */
  static final Color[] PALETTE = {new Color(0x4e79a7), new Color(0xf28e2b), new Color(0xe15759),
      new Color(0x76b7b2), new Color(0x59a14f), new Color(0xb8860b), new Color(0xb07aa1), new Color(0xff9da7),
      new Color(0x9c755f), new Color(0x5f5f5f)};

  private final XYChart chart;
  private final List<Line> lines = new ArrayList<>();
  private final List<String> allZero = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  /** Each layer's and band's upper edge as given (the polygons hold it and the lower edge). */
  private final java.util.Map<String, double[]> layers = new java.util.LinkedHashMap<>();
  private final java.util.Set<String> decorations = new java.util.HashSet<>();
  private boolean autoLog = true;
  /** Over simulated time: the last sample's time (NaN: not a time chart). */
  private double timeEnd = Double.NaN;
  private double warmUpEnd;
  private boolean clipTransients;
  /** Lines whose name ends so go on a second y axis, on the right, titled {@link #rightTitle}. */
  private String rightSuffix;
  private String rightTitle;

  Plot(String title, String xTitle, String yTitle) {
    this.chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    style(chart);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    chart.getStyler().setMarkerSize(5);
    chart.getStyler().setYAxisDecimalPattern("#,##0.###");
    chart.getStyler().setXAxisTickMarkSpacingHint(90);
  }

  /**
   * A chart over simulated time up to {@code end} seconds: the axis runs from 0 and ticks at
   * round seconds (not every k-th sample); with a warm-up ({@code warmUpEnd} > 0) the time
   * before it is shaded, named, and left out of the y scale.
   */
  Plot overTime(double end, double warmUpEnd) {
    this.timeEnd = end;
    this.warmUpEnd = warmUpEnd;
    return this;
  }

  /**
   * A linear chart whose lines may start with a spike (first touches at boot) that dwarfs
   * the rest: when the highest value is more than twice the steady level (the larger of the
   * 90th percentile and the highest value in the run's second half), the axis stops a
   * quarter above that level and a note says how many values it clipped and how high they went.
   */
  Plot clipTransients() {
    this.clipTransients = true;
    return this;
  }

  /** Lines whose name ends with {@code suffix} on an axis of their own, on the right, titled {@code title}. */
  Plot rightAxis(String suffix, String title) {
    this.rightSuffix = suffix;
    this.rightTitle = title;
    return this;
  }

  private boolean onTheRight(Line l) {
    return rightSuffix != null && l.name().endsWith(rightSuffix);
  }

  /** Charts that mix lines with filled areas keep a linear y axis. */
  Plot linearOnly() {
    autoLog = false;
    return this;
  }

  XYChart chart() {
    return chart;
  }

  /** What the chart says under its x axis: scales, what is off the scale, what is left out. */
  List<String> notes() {
    return List.copyOf(notes);
  }

  /** The lines left out because they were zero (or absent) at every point. */
  List<String> allZero() {
    return allZero;
  }

  /** Adds a line, unless it is zero (or absent, NaN) throughout: then it is only named in the note. */
  Plot line(String name, double[] x, double[] y) {
    return line(name, x, y, null);
  }

  /** A line with symmetric error bars ({@code errors} null for none). */
  Plot line(String name, double[] x, double[] y, double[] errors) {
    boolean any = false;
    for (double v : y) {
      any |= !Double.isNaN(v) && v != 0;
    }
    if (!any) {
      allZero.add(name);
      return this;
    }
    lines.add(new Line(name, x, y.clone(), errors));
    return this;
  }

  /** A line waiting for {@link #finish()}, which decides its scale before XChart sees it. */
  private record Line(String name, double[] x, double[] y, double[] errors) {}

  /** A constant reference line (a threshold, a bound) across {@code x}, dashed and gray. */
  Plot reference(String name, double xFrom, double xTo, double y, Color color) {
    XYSeries s = chart.addSeries(name, new double[] {xFrom, xTo}, new double[] {y, y});
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(color);
    s.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
    return this;
  }

  /**
   * A filled band where some state holds: height {@code y[i]} from sample {@code i} to the
   * next (a step), down to 0, without a line or markers.
   */
  Plot band(String name, double[] x, double[] y, Color fill) {
    int n = x.length;
    double[] px = new double[4 * n];
    double[] py = new double[4 * n];
    int k = 0;
    for (int i = 0; i < n; i++) {
      double next = i + 1 < n ? x[i + 1] : x[i];
      px[k] = x[i];
      py[k++] = y[i];
      px[k] = next;
      py[k++] = y[i];
    }
    for (int i = n - 1; i >= 0; i--) {
      double next = i + 1 < n ? x[i + 1] : x[i];
      px[k] = next;
      py[k++] = 0;
      px[k] = x[i];
      py[k++] = 0;
    }
    // No edge: a band's polygon runs along 0 between its intervals, where no line belongs.
    polygon(name, px, py, fill, new Color(0, 0, 0, 0), 0f);
    layers.put(name, y.clone());
    return this;
  }

  /** A filled layer of a stack: from {@code lower} to {@code upper} at each sample. */
  Plot area(String name, double[] x, double[] lower, double[] upper, Color fill) {
    int n = x.length;
    double[] px = new double[2 * n];
    double[] py = new double[2 * n];
    for (int i = 0; i < n; i++) {
      px[i] = x[i];
      py[i] = upper[i];
      px[2 * n - 1 - i] = x[i];
      py[2 * n - 1 - i] = lower[i];
    }
    polygon(name, px, py, fill, fill.darker(), 1f);
    layers.put(name, upper.clone());
    return this;
  }

  /** The upper edge of layer or band {@code name}, as given. */
  double[] layer(String name) {
    return layers.get(name).clone();
  }

  /** The series drawn for data: every series but the warm-up's shade and the legend's note. */
  List<String> drawn() {
    return chart.getSeriesMap().keySet().stream().filter(k -> !decorations.contains(k)).toList();
  }

  /** A closed polygon: the legend shows it as a filled box (XChart's areas show as a line). */
  private XYSeries polygon(String name, double[] x, double[] y, Color fill, Color edge, float width) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
    s.setMarker(SeriesMarkers.NONE);
    s.setFillColor(fill);
    s.setLineColor(edge);
    s.setLineWidth(width);
    return s;
  }

  /** A note in the legend (what is off the scale, what the chart leaves out). */
  Plot note(String text) {
    notes.add(text);
    return this;
  }

  /** Decides the scales, adds and styles the lines, writes the notes into the legend: call once, last. */
  Plot finish() {
    if (!Double.isNaN(timeEnd) && timeEnd > 0) {
      timeAxis();
    }
    if (autoLog && spansDecades()) {
      chart.getStyler().setYAxisLogarithmic(true);
      chart.getStyler().setYAxisDecimalPattern("#,##0.####");
      notes.add("log scale; values of 0 not drawn");
      for (Line l : lines) {
        for (int i = 0; i < l.y().length; i++) {
          if (!(l.y()[i] > 0)) {
            l.y()[i] = Double.NaN;
          }
        }
      }
    }
    if (!chart.getStyler().isYAxisLogarithmic() && chart.getStyler().getYAxisMax() == null
        && chart.getStyler().getYAxisMax(0) == null) {
      scaleToMeasured();
    }
    if (warmUpEnd > 0 && !Double.isNaN(timeEnd)) {
      shadeWarmUp();
    }
    int n = 0;
    for (Line l : lines) {
      XYSeries s = l.errors() == null ? chart.addSeries(l.name(), l.x(), l.y())
          : chart.addSeries(l.name(), l.x(), l.y(), l.errors());
      s.setLineColor(PALETTE[n % PALETTE.length]);
      s.setMarkerColor(PALETTE[n % PALETTE.length]);
      // Dashes change with each round of colors, so that no two of the first fifty lines look alike.
      float[] dash = DASHES[(n + n / PALETTE.length) % DASHES.length];
      // Earlier lines are wider: a later line that coincides shows as a core inside them.
      float width = Math.max(1.2f, 3.4f - 0.45f * n);
      s.setLineStyle(dash == null ? new BasicStroke(width)
          : new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f));
      s.setMarker(l.x().length <= MARKERS_UP_TO ? MARKERS[n % MARKERS.length] : SeriesMarkers.NONE);
      if (onTheRight(l)) {
        s.setYAxisGroup(1);
      }
      n++;
    }
    if (rightSuffix != null) {
      chart.setYAxisGroupTitle(1, rightTitle);
      chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
    }
    List<String> all = new ArrayList<>(notes);
    if (!allZero.isEmpty()) {
      all.add("zero throughout, not drawn: " + String.join(", ", allZero));
    }
    if (chart.getSeriesMap().isEmpty()) {
      // XChart cannot draw a chart without series: an empty line keeps the axes.
      XYSeries s = chart.addSeries("nothing to draw", new double[] {0, 1}, new double[] {0, 0});
      s.setMarker(SeriesMarkers.NONE);
    }
    if (!all.isEmpty()) {
      // XChart's titles do not wrap, and a caption cut short loses what matters: the notes go
      // whole into the legend, as an entry of text alone (the report prints them too).
      String text = wrap(String.join("; ", all));
      // At an x the chart has already, so that it moves no axis and breaks no spacing.
      double at = chart.getSeriesMap().values().iterator().next().getXData()[0];
      XYSeries note = chart.addSeries(text, new double[] {at}, new double[] {Double.NaN});
      note.setMarker(SeriesMarkers.NONE);
      note.setLineStyle(SeriesLines.NONE);
      decorations.add(text);
    }
    this.notes.clear();
    this.notes.addAll(all);
    return this;
  }

  /**
   * Round ticks over time: XChart puts the ticks of equally spaced x values (samples) at
   * every k-th sample (0, 23, 46, ...); an axis that ends a hair past the last sample is not
   * equally spaced, and gets round steps. The warm-up, if any, is shaded.
   */
  private void timeAxis() {
    chart.getStyler().setXAxisMin(0.0);
    chart.getStyler().setXAxisMax(timeEnd * (1 + 1e-9) + 1e-9);
    if (warmUpEnd > 0) {
      notes.add(0, String.format(java.util.Locale.ROOT, "0 to %s s shaded: the warm-up, not measured",
          trim(warmUpEnd)));
    }
  }

  /**
   * The y axis of a linear chart over the measured window: after the warm-up when there is
   * one, and without a spike that dwarfs the rest when {@link #clipTransients} asked.
   */
  private void scaleToMeasured() {
    List<double[]> measured = new ArrayList<>();
    double all = 0;
    for (Line l : lines) {
      if (onTheRight(l)) {
        continue;
      }
      double[] kept = new double[l.y().length];
      int k = 0;
      for (int i = 0; i < l.y().length; i++) {
        if (!Double.isNaN(l.y()[i])) {
          all = Math.max(all, l.y()[i]);
          if (l.x()[i] > warmUpEnd || warmUpEnd <= 0) {
            kept[k++] = l.y()[i];
          }
        }
      }
      measured.add(java.util.Arrays.copyOf(kept, k));
    }
    double top = 0;
    for (double[] m : measured) {
      for (double v : m) {
        top = Math.max(top, v);
      }
    }
    double yMax = top;
    if (clipTransients) {
      double steady = steadyLevel(measured);
      int above = 0;
      boolean spikeOnly = true;
      for (double[] m : measured) {
        int mine = 0;
        for (double v : m) {
          mine += v > 1.25 * steady ? 1 : 0;
        }
        above += mine;
        // A line that is above for more than a tenth of its points has a shape there, not a spike.
        spikeOnly &= mine <= m.length / 10;
      }
      if (steady > 0 && top > 2 * steady && spikeOnly) {
        yMax = 1.25 * steady;
        notes.add(String.format(java.util.Locale.ROOT, "clipped at %s: %d value%s above, up to %s", trim(yMax), above,
            above == 1 ? "" : "s", trim(top)));
      }
    }
    if (warmUpEnd > 0 && all > yMax && yMax > 0 && !clipTransients) {
      notes.add(String.format(java.util.Locale.ROOT, "scaled to the measured window; the warm-up reached %s",
          trim(all)));
    }
    if (yMax > 0 && (yMax < all || warmUpEnd > 0)) {
      chart.getStyler().setYAxisMin(0, Math.min(0.0, minOf(measured)));
      chart.getStyler().setYAxisMax(0, yMax * (clipTransients && yMax < top ? 1 : 1.05));
    }
  }

  /** The warm-up's time, shaded over the whole height of the axis (from the lowest positive value on a log one). */
  private void shadeWarmUp() {
    double low = Double.POSITIVE_INFINITY;
    double high = 0;
    for (Line l : lines) {
      for (double v : onTheRight(l) ? new double[0] : l.y()) {
        if (v > 0) {
          low = Math.min(low, v);
          high = Math.max(high, v);
        }
      }
    }
    for (double[] y : layers.values()) {
      for (double v : y) {
        high = Math.max(high, v);
      }
    }
    Double max = chart.getStyler().getYAxisMax(0) != null ? chart.getStyler().getYAxisMax(0)
        : chart.getStyler().getYAxisMax();
    double top = max != null ? max : Math.max(high, 1);
    double bottom = chart.getStyler().isYAxisLogarithmic() ? (low == Double.POSITIVE_INFINITY ? 1 : low) : 0;
    polygon("warm-up", new double[] {0, warmUpEnd, warmUpEnd, 0}, new double[] {bottom, bottom, top, top}, WARM_UP,
        WARM_UP, 0.5f);
    decorations.add("warm-up");
  }

  /** The steady level of the lines: the larger of their 90th percentile and the highest value of their second half. */
  private static double steadyLevel(List<double[]> values) {
    List<Double> every = new ArrayList<>();
    double late = 0;
    for (double[] v : values) {
      for (int i = 0; i < v.length; i++) {
        every.add(v[i]);
        if (i >= v.length / 2) {
          late = Math.max(late, v[i]);
        }
      }
    }
    if (every.isEmpty()) {
      return 0;
    }
    java.util.Collections.sort(every);
    return Math.max(every.get((int) Math.floor(0.9 * (every.size() - 1))), late);
  }

  private static double minOf(List<double[]> values) {
    double min = 0;
    for (double[] v : values) {
      for (double x : v) {
        min = Math.min(min, x);
      }
    }
    return min;
  }

  /** A number for a note: up to four significant digits. */
  static String trim(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(java.util.Locale.ROOT, "%,d", (long) v)
        : String.format(java.util.Locale.ROOT, "%,.4g", v);
  }

  /** {@code text} in lines of about {@link #NOTE_WIDTH} characters, broken at spaces. */
  static String wrap(String text) {
    StringBuilder out = new StringBuilder();
    int line = 0;
    for (String word : text.split(" ")) {
      if (line > 0 && line + 1 + word.length() > NOTE_WIDTH) {
        out.append('\n');
        line = 0;
      } else if (line > 0) {
        out.append(' ');
        line++;
      }
      out.append(word);
      line += word.length();
    }
    return out.toString();
  }

  /** Whether the lines' positive values span {@link #LOG_RATIO} or more. */
  private boolean spansDecades() {
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    for (Line l : lines) {
      for (double v : l.y()) {
        if (v > 0 && !Double.isNaN(v)) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    return max > 0 && max / min >= LOG_RATIO;
  }

  byte[] png() throws IOException {
    return png(chart);
  }

  static void style(Chart<?, ?> chart) {
    Styler s = chart.getStyler();
    s.setChartBackgroundColor(Color.WHITE);
    // A column on the right: a row under the chart cuts off what does not fit.
    s.setLegendPosition(Styler.LegendPosition.OutsideE);
    s.setLegendLayout(Styler.LegendLayout.Vertical);
    s.setAntiAlias(true);
    s.setSeriesColors(PALETTE);
  }

  static byte[] png(Chart<?, ?> chart) throws IOException {
    return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
  }
}
