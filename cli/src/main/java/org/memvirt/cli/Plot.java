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
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A line chart that stays readable: each line gets its own dash pattern and (when it has
 * few points) its own marker besides its color, so lines that coincide still show; lines
 * that are zero throughout are left out and named in a note under the x axis; and when the
 * values span three decades or more the y axis becomes logarithmic. The chart's data (its
 * series) is what tests look at; {@link #png()} draws it.
 */
final class Plot {
  static final int WIDTH = 1000;
  static final int HEIGHT = 420;
  /** Dash patterns in turn: solid, dashed, dotted, dash-dot, long dashes. */
  private static final float[][] DASHES = {null, {7f, 4f}, {2f, 3f}, {9f, 3f, 2f, 3f}, {14f, 5f}};
  private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
      SeriesMarkers.TRIANGLE_UP, SeriesMarkers.CROSS, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.PLUS};
  /** Characters of notes that fit under the x axis beside its title. */
  private static final int NOTE_FITS = 80;
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
  private final String xTitle;
  private final List<Line> lines = new ArrayList<>();
  private final List<String> allZero = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private boolean autoLog = true;

  Plot(String title, String xTitle, String yTitle) {
    this.xTitle = xTitle;
    this.chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    style(chart);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    chart.getStyler().setMarkerSize(5);
    chart.getStyler().setYAxisDecimalPattern("#,##0.###");
    chart.getStyler().setXAxisTickMarkSpacingHint(90);
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

  /** A filled step area (a band where some state holds), drawn without a line or markers. */
  Plot band(String name, double[] x, double[] y, Color fill) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
    s.setMarker(SeriesMarkers.NONE);
    s.setFillColor(fill);
    // Opaque and thin: the band's edges, and a legend swatch that shows.
    s.setLineColor(new Color(fill.getRed(), fill.getGreen(), fill.getBlue()));
    s.setLineWidth(1f);
    return this;
  }

  /** A filled area from 0 (a layer of a stack drawn as cumulative sums, top layer first). */
  Plot area(String name, double[] x, double[] y, Color fill) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
    s.setMarker(SeriesMarkers.NONE);
    s.setFillColor(fill);
    s.setLineColor(fill.darker());
    s.setLineWidth(1.5f);
    return this;
  }

  /** A note under the x axis (what is off the scale, what the chart leaves out). */
  Plot note(String text) {
    notes.add(text);
    return this;
  }

  /** Decides the scale, adds and styles the lines, writes the notes under the x axis: call once, last. */
  Plot finish() {
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
      n++;
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
    // XChart's titles do not wrap: the notes go under the x axis, named in full when they fit
    // and counted when not (the report prints them in full under the chart).
    String full = String.join("; ", all);
    String shortNotes = full.length() <= NOTE_FITS ? full : String.join("; ", notes)
        + (allZero.isEmpty() ? "" : (notes.isEmpty() ? "" : "; ") + allZero.size() + " lines zero throughout, not drawn");
    if (shortNotes.length() > NOTE_FITS) {
      shortNotes = shortNotes.substring(0, NOTE_FITS - 1) + "…";
    }
    chart.setXAxisTitle(all.isEmpty() ? xTitle : xTitle + "   [" + shortNotes + "]");
    this.notes.clear();
    this.notes.addAll(all);
    return this;
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
