package org.memvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.memvirt.api.MetricNames;
import org.memvirt.engine.experiment.Sweep;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.report.RunResult;
import org.memvirt.engine.run.Experiments;
import org.memvirt.study.Replications;
import org.memvirt.study.SweepRun;

/** What each chart holds (its series and their values), not its pixels. */
class ChartDataTest {
  private static final double MIB = 4096.0 / (1 << 20);

  /** Two VMs, three samples one second apart, every value chosen by hand. */
  static RunResult handMade() {
    return handMade(List.of("a", "b"));
  }

  static RunResult handMade(List<String> names) {
    List<RunResult.Sample> samples = new ArrayList<>();
    long[] pf = {0, 100, 400};
    long[] exits = {0, 50, 50};
    long[] cycles = {0, 3_000, 5_000};
    long[] nativeCycles = {0, 1_000, 2_000};
    long[] accesses = {0, 1_000, 3_000};
    long[] misses = {0, 100, 500};
    long[] state = {0, 1, 3};
    long[] ballooned = {0, 256, 512};
    for (int i = 0; i < 3; i++) {
      for (String vm : names) {
        Map<String, Long> v = new LinkedHashMap<>();
        v.put(MetricNames.PF_GUEST, pf[i]);
        v.put(MetricNames.EXITS, exits[i]);
        v.put(MetricNames.CYCLES, cycles[i]);
        v.put(MetricNames.NATIVE_CYCLES, nativeCycles[i]);
        v.put(MetricNames.ACCESSES, accesses[i]);
        v.put(MetricNames.TLB_L2_MISSES, misses[i]);
        // 1024 pages: private 600 (100 of them free in the guest), shared 100 (20 of them the
        // zero page), 30 zero without a frame, ballooned, 10 swapped, the rest never backed.
        v.put(MetricNames.PRIVATE, 600L);
        v.put(MetricNames.PRIVATE_FREE, 100L);
        v.put(MetricNames.SHARED, 100L);
        v.put(MetricNames.ZERO, 50L);
        v.put(MetricNames.GRANTED, 730L);
        v.put(MetricNames.BALLOONED, ballooned[i] / 4);
        v.put(MetricNames.SWAPPED, 10L);
        v.put(MetricNames.COMPRESSED, 0L);
        v.put(MetricNames.UNBACKED, 1024L - 730 - 10 - ballooned[i] / 4);
        v.put(MetricNames.TARGET, 900L);
        v.put(MetricNames.HOST_FREE, 2000L - 100L * i);
        v.put(MetricNames.HOST_STATE, state[i]);
        v.put(MetricNames.SHARED_SAVED, 0L);
        v.put(MetricNames.HOST_HELD, 0L);
        samples.add(new RunResult.Sample(i * 1_000_000_000L, vm, v));
      }
    }
    Map<String, Number> vmMetrics = new LinkedHashMap<>(samples.get(4).values());
    vmMetrics.put(MetricNames.MEMSZ, 1024L);
    vmMetrics.put(MetricNames.MIN, 0L);
    vmMetrics.put(MetricNames.MAX, 1024L);
    Map<String, Number> host = new LinkedHashMap<>();
    host.put("host_frames", 4096L);
    host.put(MetricNames.HOST_FREE_HIGH, 246L);
    host.put(MetricNames.HOST_FREE_SOFT, 164L);
    host.put(MetricNames.HOST_FREE_HARD, 82L);
    host.put(MetricNames.HOST_FREE_LOW, 41L);
    return new RunResult("hand-made", 1, "ept", 2_000_000_000L, 2_000_000_000L, 0, false, null, host,
        names.stream().map(n -> new RunResult.VmResult(n, vmMetrics, List.of())).toList(), samples);
  }

  @Test
  void theHostChartHoldsFreeMemoryItsThresholdsTheStatesEnteredAndWhatReclamationTook() {
    Plot p = RunCharts.host(handMade(), RunCharts.Catalog.NONE);
    XYChart c = p.chart();
    assertThat(p.drawn()).containsExactly("soft state", "low state", "high threshold",
        "soft threshold", "hard threshold", "low threshold", "free", "ballooned (all VMs)",
        "host swapped (all VMs)");
    assertThat(c.getSeriesMap().get("free").getYData()).containsExactly(2000 * MIB, 1900 * MIB, 1800 * MIB);
    // The state bands cover the samples in that state only, as filled polygons (a box in the legend).
    assertThat(p.layer("soft state")[0]).isZero();
    assertThat(p.layer("soft state")[1]).isPositive();
    assertThat(p.layer("low state")[2]).isPositive();
    assertThat(c.getSeriesMap().get("soft state").getXYSeriesRenderStyle())
        .isEqualTo(XYSeries.XYSeriesRenderStyle.PolygonArea);
    assertThat(c.getSeriesMap().get("hard threshold").getYData()).containsExactly(82 * MIB, 82 * MIB);
    // Summed over both VMs: 2 x 128 pages at the end.
    assertThat(c.getSeriesMap().get("ballooned (all VMs)").getYData()).containsExactly(0, 2 * 64 * MIB, 2 * 128 * MIB);
    assertThat(c.getSeriesMap().get("host swapped (all VMs)").getYData()).containsExactly(20 * MIB, 20 * MIB, 20 * MIB);
  }

  @Test
  void theMemoryChartStacksTheLayersAndDrawsTheTargetAndLimits() {
    Plot p = RunCharts.memory(handMade(), "a", RunCharts.Catalog.NONE);
    Map<String, XYSeries> s = p.chart().getSeriesMap();
    // Layers from the top of the stack down, then the lines.
    assertThat(p.drawn()).containsExactly("not backed", "host swapped", "ballooned", "zero", "shared",
        "private (guest free)", "private (guest uses)", "max", "SZTGT (target)");
    assertThat(p.notes()).anyMatch(n -> n.contains("empty: compressed"));
    double[] sharedTop = p.layer("shared");
    // 500 used + 100 free + (100 shared - 20 of them the zero page) = 680 pages.
    assertThat(sharedTop[0]).isCloseTo(680 * MIB, within(1e-9));
    assertThat(p.layer("zero")[0]).isCloseTo(730 * MIB, within(1e-9));
    // The top of the stack is the VM's configured memory at every sample.
    assertThat(p.layer("not backed")).containsOnly(1024 * MIB);
    // Each layer is a polygon from the one under it to its own top: the legend shows a filled box.
    XYSeries shared = s.get("shared");
    assertThat(shared.getXYSeriesRenderStyle()).isEqualTo(XYSeries.XYSeriesRenderStyle.PolygonArea);
    double[] y = shared.getYData();
    assertThat(y[y.length - 1]).isCloseTo(600 * MIB, within(1e-9)); // its bottom: the private layers' top
    // The notes are in the legend, whole.
    assertThat(s.keySet()).anyMatch(k -> k.replace("\n", " ").contains("empty: compressed"));
  }

  @Test
  void ratesAreIncreasesPerSecondAndPerformanceIsARatioOfIncreases() {
    RunResult r = handMade();
    XYChart rates = RunCharts.rates(r, RunCharts.Catalog.NONE).chart();
    assertThat(rates.getSeriesMap().keySet()).containsExactly("a pf_guest", "a exits", "b pf_guest", "b exits");
    double[] pf = rates.getSeriesMap().get("a pf_guest").getYData();
    assertThat(pf[0]).isNaN();
    assertThat(pf[1]).isEqualTo(100);
    assertThat(pf[2]).isEqualTo(300);
    XYChart perf = RunCharts.performance(r).chart();
    double[] slowdown = perf.getSeriesMap().get("a slowdown").getYData();
    assertThat(slowdown[1]).isEqualTo(3.0);
    assertThat(slowdown[2]).isEqualTo(2.0);
    double[] missRatio = perf.getSeriesMap().get("a L2 TLB misses per access").getYData();
    assertThat(missRatio[1]).isEqualTo(0.1);
    assertThat(missRatio[2]).isEqualTo(0.2);
  }

  @Test
  void withManyVmsTheEventChartsDrawTheirTotals() {
    RunResult r = handMade(List.of("a", "b", "c", "d", "e"));
    Plot rates = RunCharts.rates(r, RunCharts.Catalog.NONE);
    assertThat(rates.drawn()).containsExactly("all VMs pf_guest", "all VMs exits");
    assertThat(rates.chart().getSeriesMap().get("all VMs pf_guest").getYData()[2]).isEqualTo(5 * 300);
    assertThat(rates.notes()).contains("5 VMs: their totals");
    // Cycles and native cycles of all VMs: the same ratio as each VM's.
    assertThat(RunCharts.performance(r).chart().getSeriesMap().get("all VMs slowdown").getYData()[1]).isEqualTo(3.0);
  }

  @Test
  void linesThatStayZeroAreLeftOutAndNamedAndDecadesApartGoOnALogScale() {
    Plot p = new Plot("t", "x", "y");
    p.line("zero", new double[] {0, 1}, new double[] {0, 0});
    p.line("small", new double[] {0, 1}, new double[] {1, 2});
    p.line("large", new double[] {0, 1}, new double[] {0, 5000});
    p.finish();
    assertThat(p.drawn()).containsExactly("small", "large");
    assertThat(p.allZero()).containsExactly("zero");
    assertThat(p.chart().getStyler().isYAxisLogarithmic()).isTrue();
    // 0 has no place on a log scale: a gap.
    assertThat(p.chart().getSeriesMap().get("large").getYData()[0]).isNaN();
    // Coinciding lines still differ in dash pattern.
    assertThat(p.chart().getSeriesMap().get("small").getLineStyle())
        .isNotEqualTo(p.chart().getSeriesMap().get("large").getLineStyle());
  }

  /** A real run with every technique: the breakdown adds up to the configured memory at every sample. */
  @Test
  void theBreakdownAddsUpToTheConfiguredMemoryAtEverySample() {
    RunResult r = Experiments.run(Experiments.parse("""
        seed: 3
        duration: 40s
        verify: true
        host: {memory: 112MiB}
        reclaim:
          sharing: {scanner: ksm}
          balloon: {}
          swap: {device: ssd}
        policy: {type: shares}
        vms:
          - name: vm
            copies: 3
            memory: 64MiB
            processes:
              - workload: {type: image, image: guest-os, footprint: 24MiB, rate: 200/s}
              - workload: {type: zipf, footprint: 32MiB, writes: 0.3, rate: 20K/s, base: 0x20000000}
        """, "breakdown.yaml"), PluginRegistry.discover());
    TimeSeries t = new TimeSeries(r);
    assertThat(t.size()).isEqualTo(41);
    boolean sawReclaimed = false;
    for (String vm : t.vms()) {
      MemoryBreakdown b = new MemoryBreakdown(t, vm);
      double configured = r.vm(vm).metrics().get(MetricNames.MEMSZ).doubleValue();
      assertThat(configured).isEqualTo(16384);
      for (double total : b.total()) {
        assertThat(total).isEqualTo(configured);
      }
      for (String layer : MemoryBreakdown.LAYERS.keySet()) {
        assertThat(java.util.Arrays.stream(b.pages(layer)).allMatch(v -> v >= 0)).as(layer).isTrue();
      }
      sawReclaimed |= java.util.Arrays.stream(b.pages("shared")).anyMatch(v -> v > 0)
          && java.util.Arrays.stream(b.pages("ballooned")).anyMatch(v -> v > 0);
    }
    assertThat(sawReclaimed).isTrue();
    assertThat(r.host().get("oracle_checks").longValue()).isPositive();
  }

  /** Three seeds giving 1, 2 and 3: mean 2, half-width t(0.975, 2) * 1 / sqrt(3). */
  @Test
  void replicationsGiveTheMeanAndTheStudentTInterval() {
    SweepRun run = replicated(new double[][] {{1, 2, 3}, {10, 10, 10}});
    Replications reps = new Replications(run);
    assertThat(reps.replicated()).isTrue();
    assertThat(reps.groups()).hasSize(2);
    Replications.Estimate e = reps.estimate(reps.groups().get(0), "web", MetricNames.SLOWDOWN);
    assertThat(e.n()).isEqualTo(3);
    assertThat(e.mean()).isEqualTo(2.0);
    assertThat(e.ci95()).isCloseTo(4.302652729911275 / Math.sqrt(3), within(1e-8));
    Replications.Estimate flat = reps.estimate(reps.groups().get(1), "web", MetricNames.SLOWDOWN);
    assertThat(flat.mean()).isEqualTo(10.0);
    assertThat(flat.ci95()).isZero();
    String csv = ResultCsv.replications(run, false);
    assertThat(csv.lines().findFirst().orElseThrow()).startsWith("mmu.tlb.l2.entries,vm,seeds,partial,")
        .contains("slowdown_mean,slowdown_ci95");
    assertThat(csv).contains("\n16,web,3,false,");
    assertThat(ResultCsv.replications(run, true)).contains("\n16,web,3,true,");
    assertThat(ResultTable.replicationRows(run, List.of(MetricNames.SLOWDOWN)).get(1))
        .containsExactly("16", "web", "3", "2.000 ± 2.5");
    // The chart: the numeric setting on the x axis, the mean with its interval as error bars.
    XYChart chart = (XYChart) SweepCharts.chart(run, MetricNames.SLOWDOWN);
    XYSeries s = chart.getSeriesMap().get("web");
    // 16 to 4096 spans more than two decades: a log scale, the points at log2 of their values
    // on an axis whose ticks XChart puts at the equally spaced doublings hidden under them
    // (16, 32, ... 4096), each labelled with its value.
    assertThat(s.getXData()).containsExactly(4, 12);
    assertThat(s.getYData()).containsExactly(2, 10);
    assertThat(s.getExtraValues()[0]).isCloseTo(e.ci95(), within(1e-12));
    XYSeries doublings = chart.getSeriesMap().get("doublings");
    assertThat(doublings.isShowInLegend()).isFalse();
    assertThat(doublings.getXData()).containsExactly(4, 5, 6, 7, 8, 9, 10, 11, 12);
    assertThat(chart.getSeriesMap().keySet().iterator().next()).isEqualTo("doublings");
    assertThat(chart.getStyler().isXAxisLogarithmic()).isFalse();
  }

  /** Tick labels of a log scale are the values: whole numbers whole, others to four digits. */
  @Test
  void aLogScaleLabelsItsTicksWithValues() {
    assertThat(SweepCharts.valueLabel(Math.pow(2, Math.log(12) / Math.log(2)))).isEqualTo("12");
    assertThat(SweepCharts.valueLabel(3072)).isEqualTo("3,072");
    assertThat(SweepCharts.valueLabel(0.001)).isEqualTo("0.001");
    assertThat(SweepCharts.valueLabel(Math.pow(2, 3.5))).isEqualTo("11.31");
  }

  /** Time axes tick at round seconds: the axis ends a hair past the last sample, so the samples do not set the ticks. */
  @Test
  void aTimeAxisRunsFromZeroPastTheLastSample() {
    XYChart c = RunCharts.rates(handMade(), RunCharts.Catalog.NONE).chart();
    assertThat(c.getStyler().getXAxisMin()).isZero();
    assertThat(c.getStyler().getXAxisMax()).isGreaterThan(2.0).isLessThan(2.0 + 1e-6);
  }

  /** A warm-up is shaded, named, and left out of the y scale of a linear chart. */
  @Test
  void theWarmUpIsShadedAndTheScaleIsTheMeasuredWindows() {
    Plot p = new Plot("t", "time", "y").linearOnly().overTime(4, 1);
    p.line("a", new double[] {0, 1, 2, 3, 4}, new double[] {500, 400, 2, 3, 2});
    p.finish();
    assertThat(p.chart().getSeriesMap()).containsKey("warm-up");
    assertThat(p.drawn()).containsExactly("a");
    assertThat(p.chart().getStyler().getYAxisMax(0)).isCloseTo(3 * 1.05, within(1e-9));
    assertThat(p.notes()).contains("0 to 1 s shaded: the warm-up, not measured",
        "scaled to the measured window; the warm-up reached 500");
  }

  /** A spike a few values long is clipped, and said; a line that is high for longer is a shape, and is not. */
  @Test
  void aShortSpikeIsClippedAndSaidButALongRiseIsNot() {
    double[] x = new double[40];
    double[] spike = new double[40];
    double[] rise = new double[40];
    for (int i = 0; i < 40; i++) {
      x[i] = i;
      spike[i] = i < 2 ? 200 : 2;
      rise[i] = i < 20 ? 200 : 2;
    }
    Plot clipped = new Plot("t", "time", "y").linearOnly().clipTransients().overTime(39, 0);
    clipped.line("a", x, spike).finish();
    assertThat(clipped.chart().getStyler().getYAxisMax(0)).isCloseTo(2.5, within(1e-9));
    assertThat(clipped.notes()).contains("clipped at 2.500: 2 values above, up to 200");
    Plot kept = new Plot("t", "time", "y").linearOnly().clipTransients().overTime(39, 0);
    kept.line("a", x, rise).finish();
    assertThat(kept.chart().getStyler().getYAxisMax(0)).isNull();
    assertThat(kept.notes()).isEmpty();
  }

  /** The report's table gives each metric's unit, and sizes in MiB beside pages. */
  @Test
  void theReportsTableHasUnitsAndMib() {
    List<List<String>> rows = ResultTable.reportRows(handMade(), Map.of(MetricNames.PRIVATE, "pages"));
    assertThat(rows.get(0)).startsWith("metric", "unit", "a", "b", "host");
    List<String> priv = rows.stream().filter(r -> r.get(0).equals(MetricNames.PRIVATE)).findFirst().orElseThrow();
    assertThat(priv).startsWith("private", "pages", "600 (2.3 MiB)", "600 (2.3 MiB)");
  }

  @Test
  void aCategoricalAxisIsABarChartAndANumericOneChosenFirst() throws Exception {
    Sweep sweep = Experiments.parseSweep(SweepTest.SWEEP, "s.yaml");
    SweepRun run = fake(sweep, new double[] {1, 2, 3, 4});
    // mmu.type comes first but is not numeric: the L2 size is the x axis, the MMU a series.
    XYChart xy = (XYChart) SweepCharts.chart(run, MetricNames.SLOWDOWN);
    assertThat(xy.getSeriesMap().keySet()).containsExactly("web mmu.type=ept", "web mmu.type=shadow");
    assertThat(xy.getSeriesMap().get("web mmu.type=shadow").getYData()).containsExactly(3, 4);
    Sweep categorical = Experiments.parseSweep(SweepTest.SWEEP.replace("[512, 1536]", "512"), "c.yaml");
    CategoryChart bars = (CategoryChart) SweepCharts.chart(fake(categorical, new double[] {1, 2}), MetricNames.SLOWDOWN);
    assertThat(bars.getSeriesMap().get("web").getYData()).extracting(Number::doubleValue).containsExactly(1.0, 2.0);
  }

  private static SweepRun replicated(double[][] slowdowns) {
    Sweep sweep = Experiments.parseSweep(SweepTest.SWEEP.replace("seed: 11", "seed: [1, 2, 3]")
        .replace("type: [ept, shadow]", "type: ept").replace("[512, 1536]", "[16, 4096]"), "r.yaml");
    double[] flat = new double[6];
    // Points vary the last axis fastest: seed is first, so each seed holds both sizes.
    for (int seed = 0; seed < 3; seed++) {
      for (int size = 0; size < 2; size++) {
        flat[seed * 2 + size] = slowdowns[size][seed];
      }
    }
    return fake(sweep, flat);
  }

  private static SweepRun fake(Sweep sweep, double[] slowdown) {
    List<Sweep.Point> points = sweep.points();
    assertThat(points).hasSize(slowdown.length);
    List<RunResult> results = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      Map<String, Number> m = Map.of(MetricNames.SLOWDOWN, slowdown[i]);
      results.add(new RunResult("x", i, "ept", 1, 1, 0, false, null, Map.of(),
          List.of(new RunResult.VmResult("web", m, List.of())), List.of()));
      failures.add(null);
    }
    return new SweepRun(sweep.axes().stream().map(Sweep.Axis::path).toList(), points, results, failures);
  }
}
