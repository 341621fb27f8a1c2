package org.memvirt.cli;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.memvirt.api.MetricInfo;
import org.memvirt.api.MetricNames;
import org.memvirt.api.mmu.CostEntry;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.report.MetricCatalog;
import org.memvirt.engine.report.RunResult;

/**
 * A run's charts over simulated time: the host's free memory against its thresholds, with
 * what each technique took; each VM's memory as a stack that adds up to its configured
 * size; events per second; slowdown and TLB miss ratio per interval; and the cumulative
 * events. Which technique gauges and counters to draw comes from the installed plugins'
 * catalogs, never from their names.
 */
final class RunCharts {
  /** The engine's events, drawn as rates and as running totals. */
  static final List<String> EVENTS = List.of(MetricNames.PF_GUEST, MetricNames.EXITS, MetricNames.EPT_VIOLATIONS,
      MetricNames.GUEST_SWAP_INS, MetricNames.PROCESS_EXITS);

  /** Light colors for the layers, so that the lines drawn over them in the full palette stand out. */
  private static final Color[] LAYER_COLORS = {new Color(0xa0cbe8), new Color(0xd6e7f5), new Color(0x8cd17d),
      new Color(0xd3ecc9), new Color(0xffbe7d), new Color(0xff9d9a), new Color(0xd4a6c8), new Color(0xeeeeee)};
  private static final Color[] STATE_COLORS = {null, new Color(255, 230, 120, 110), new Color(255, 160, 60, 110),
      new Color(230, 60, 60, 110)};
  private static final String[] STATES = {"high", "soft", "hard", "low"};
  private static final Color[] THRESHOLD_COLORS = {new Color(0x2e7d32), new Color(0xc9a000), new Color(0xe65100),
      new Color(0xb71c1c)};

  /**
   * What the installed techniques report that the charts draw: their memory gauges (pages or
   * frames) with legends, and the counters their cost entries price (events that slow a VM).
   */
  record Catalog(Map<String, String> gauges, List<String> pricedCounters, Map<String, String> units) {
    static final Catalog NONE = new Catalog(Map.of(), List.of(), Map.of());

    Catalog(Map<String, String> gauges, List<String> pricedCounters) {
      this(gauges, pricedCounters, Map.of());
    }

    static Catalog of(PluginRegistry registry) {
      Map<String, String> gauges = new LinkedHashMap<>();
      Map<String, String> units = new LinkedHashMap<>();
      for (MetricInfo info : MetricCatalog.all(registry)) {
        units.put(info.name(), info.unit());
        boolean memory = info.unit().equals("pages") || info.unit().equals("frames");
        if (info.kind() == MetricInfo.Kind.GAUGE && memory && !MetricCatalog.ENGINE.contains(info)) {
          gauges.put(info.name(), info.name());
        }
      }
      List<String> priced = new ArrayList<>();
      registry.reclaimers().values().forEach(f -> f.costs().forEach(c -> add(priced, c)));
      registry.policies().values().forEach(f -> f.costs().forEach(c -> add(priced, c)));
      return new Catalog(gauges, List.copyOf(priced), units);
    }

    private static void add(List<String> priced, CostEntry c) {
      if (!priced.contains(c.counter()) && !EVENTS.contains(c.counter())) {
        priced.add(c.counter());
      }
    }
  }

  private RunCharts() {}

  /**
   * The host's free memory in MiB with the four thresholds, the time spent in each state
   * below high shaded, and what reclamation holds at each sample: ballooned, host-swapped
   * and compressed pages of all VMs, frames sharing saved, frames techniques hold, and the
   * techniques' own host gauges.
   */
  static Plot host(RunResult r, Catalog catalog) {
    TimeSeries t = new TimeSeries(r);
    double[] x = t.seconds();
    Plot p = new Plot("Host memory", "simulated time (s)", "MiB").linearOnly();
    if (t.size() == 0) {
      return p.finish();
    }
    overTime(p, r, x);
    double[] free = TimeSeries.mib(t.host(MetricNames.HOST_FREE));
    double top = Math.max(max(free), r.host().get("host_frames").doubleValue() * 4096 / (1 << 20) * 0.02);
    double[] state = t.host(MetricNames.HOST_STATE);
    for (int s = 1; s < STATES.length; s++) {
      double[] band = new double[state.length];
      boolean any = false;
      for (int i = 0; i < band.length; i++) {
        band[i] = state[i] == s ? top : 0;
        any |= state[i] == s;
      }
      if (any) {
        p.band(STATES[s] + " state", x, band, STATE_COLORS[s]);
      }
    }
    double end = x[x.length - 1];
    String[] thresholds = {MetricNames.HOST_FREE_HIGH, MetricNames.HOST_FREE_SOFT, MetricNames.HOST_FREE_HARD,
        MetricNames.HOST_FREE_LOW};
    for (int s = 0; s < thresholds.length; s++) {
      Number frames = r.host().get(thresholds[s]);
      if (frames != null) {
        p.reference(STATES[s] + " threshold", x[0], end, frames.doubleValue() * 4096 / (1 << 20),
            THRESHOLD_COLORS[s]);
      }
    }
    p.line("free", x, free);
    p.line("ballooned (all VMs)", x, TimeSeries.mib(t.sum(MetricNames.BALLOONED)));
    p.line("host swapped (all VMs)", x, TimeSeries.mib(t.sum(MetricNames.SWAPPED)));
    p.line("compressed (all VMs)", x, TimeSeries.mib(t.sum(MetricNames.COMPRESSED)));
    p.line("saved by sharing", x, TimeSeries.mib(t.host(MetricNames.SHARED_SAVED)));
    p.line("held by techniques", x, TimeSeries.mib(t.host(MetricNames.HOST_HELD)));
    Set<String> vmOwn = r.vms().isEmpty() ? Set.of() : r.vms().get(0).metrics().keySet();
    catalog.gauges().forEach((name, legend) -> {
      if (r.host().containsKey(name) && !vmOwn.contains(name)) {
        p.line(legend, x, TimeSeries.mib(t.host(name)));
      }
    });
    return p.finish();
  }

  /**
   * One VM's memory as a stack of {@link MemoryBreakdown}'s layers, with its target, min,
   * max and active estimate as lines and the techniques' own gauges of the VM. The y axis
   * is scaled to what the VM uses; what is above it is named in the title.
   */
  static Plot memory(RunResult r, String vm, Catalog catalog) {
    TimeSeries t = new TimeSeries(r);
    MemoryBreakdown b = new MemoryBreakdown(t, vm);
    double[] x = b.seconds();
    Plot p = new Plot("Memory of " + vm, "simulated time (s)", "MiB").linearOnly();
    if (x.length == 0) {
      return p.finish();
    }
    overTime(p, r, x);
    List<String> layers = new ArrayList<>(MemoryBreakdown.LAYERS.keySet());
    double[][] cumulative = new double[layers.size()][x.length];
    for (int l = 0; l < layers.size(); l++) {
      double[] pages = b.pages(layers.get(l));
      for (int i = 0; i < x.length; i++) {
        cumulative[l][i] = (l == 0 ? 0 : cumulative[l - 1][i]) + TimeSeries.mib(new double[] {pages[i]})[0];
      }
    }
    // Each layer between the one under it and its own top; listed top layer first, as stacked.
    List<String> empty = new ArrayList<>();
    double[] ground = new double[x.length];
    for (int l = layers.size() - 1; l >= 0; l--) {
      double[] pages = b.pages(layers.get(l));
      if (max(pages) <= 0) {
        empty.add(MemoryBreakdown.LAYERS.get(layers.get(l)));
        continue;
      }
      p.area(MemoryBreakdown.LAYERS.get(layers.get(l)), x, l == 0 ? ground : cumulative[l - 1], cumulative[l],
          LAYER_COLORS[l]);
    }
    RunResult.VmResult v = r.vm(vm);
    double configured = mib(v.metrics().get(MetricNames.MEMSZ));
    // What the VM uses: everything but the pages never backed.
    double used = max(cumulative[layers.size() - 2]);
    double[] target = TimeSeries.mib(t.values(vm, MetricNames.TARGET));
    double[] active = TimeSeries.mib(t.values(vm, MetricNames.ACTIVE));
    double min = mib(v.metrics().get(MetricNames.MIN));
    double maxLimit = mib(v.metrics().get(MetricNames.MAX));
    double top = Math.min(configured, 1.15 * Math.max(Math.max(used, max(active)), Math.max(min, 1)));
    // A target or limit close above what the VM uses is worth the room; far above it is only named.
    if (max(target) <= 1.5 * top) {
      top = Math.min(configured, Math.max(top, 1.05 * max(target)));
    }
    if (maxLimit <= 1.5 * top) {
      top = Math.min(configured, Math.max(top, 1.05 * maxLimit));
    }
    p.chart().getStyler().setYAxisMin(0.0);
    p.chart().getStyler().setYAxisMax(top);
    p.line("SZTGT (target)", x, target);
    p.line("active (estimated)", x, active);
    if (min > 0) {
      p.reference("min", x[0], x[x.length - 1], min, new Color(0x2f6f2f));
    }
    p.reference("max", x[0], x[x.length - 1], maxLimit, new Color(0x8b0000));
    Set<String> own = v.metrics().keySet();
    catalog.gauges().forEach((name, legend) -> {
      if (own.contains(name)) {
        p.line(legend, x, TimeSeries.mib(t.values(vm, name)));
      }
    });
    List<String> above = new ArrayList<>();
    if (configured > top) {
      above.add(String.format(java.util.Locale.ROOT, "scaled to use: configured %,.0f MiB", configured));
    }
    if (max(target) > top) {
      above.add(String.format(java.util.Locale.ROOT, "target up to %,.0f MiB", max(target)));
    }
    if (maxLimit > top && maxLimit < configured) {
      above.add(String.format(java.util.Locale.ROOT, "max %,.0f MiB", maxLimit));
    }
    if (!above.isEmpty()) {
      p.note(String.join(", ", above) + " above");
    }
    if (!empty.isEmpty()) {
      java.util.Collections.reverse(empty);
      p.note("empty: " + String.join(", ", empty));
    }
    return p.finish();
  }

  /** Up to this many VMs, the event charts draw each; beyond, their totals (each VM's are in timeseries.csv). */
  static final int VMS_DRAWN = 4;

  /** Events per simulated second over each sample interval, per VM (or of all VMs, when there are many). */
  static Plot rates(RunResult r, Catalog catalog) {
    TimeSeries t = new TimeSeries(r);
    Plot p = new Plot("Events per second", "simulated time (s)", "events/s").clipTransients();
    double[] x = t.seconds();
    overTime(p, r, x);
    for (String who : who(t, p)) {
      for (String counter : counters(r, catalog)) {
        p.line(who + " " + counter, x, who.equals(ALL) ? t.rate(t.sum(counter)) : t.rate(who, counter));
      }
    }
    return p.finish();
  }

  /** Slowdown ({@code cycles / native_cycles}) and the L2 TLB miss ratio over each sample interval. */
  static Plot performance(RunResult r) {
    TimeSeries t = new TimeSeries(r);
    // The miss ratios (0..1) on an axis of their own, on the right.
    Plot p = new Plot("Slowdown and L2 TLB miss ratio per interval", "simulated time (s)", "slowdown").linearOnly()
        .clipTransients().rightAxis("per access", "L2 TLB misses per access");
    double[] x = t.seconds();
    overTime(p, r, x);
    List<String> who = who(t, p);
    for (String vm : who) {
      p.line(vm + " slowdown", x, vm.equals(ALL)
          ? t.ratioOfIncreases(t.sum(MetricNames.CYCLES), t.sum(MetricNames.NATIVE_CYCLES))
          : t.ratioOfIncreases(vm, MetricNames.CYCLES, MetricNames.NATIVE_CYCLES));
    }
    for (String vm : who) {
      p.line(vm + " L2 TLB misses per access", x, vm.equals(ALL)
          ? t.ratioOfIncreases(t.sum(MetricNames.TLB_L2_MISSES), t.sum(MetricNames.ACCESSES))
          : t.ratioOfIncreases(vm, MetricNames.TLB_L2_MISSES, MetricNames.ACCESSES));
    }
    return p.finish();
  }

  /** Running totals of the events, per VM (or of all VMs, when there are many). */
  static Plot events(RunResult r, Catalog catalog) {
    TimeSeries t = new TimeSeries(r);
    Plot p = new Plot("Events (cumulative)", "simulated time (s)", "events");
    double[] x = t.seconds();
    overTime(p, r, x);
    for (String who : who(t, p)) {
      for (String counter : counters(r, catalog)) {
        p.line(who + " " + counter, x, who.equals(ALL) ? t.sum(counter) : t.values(who, counter));
      }
    }
    return p.finish();
  }

  private static final String ALL = "all VMs";

  /** A chart over the run's samples {@code x}: round seconds from 0, the warm-up shaded. */
  private static void overTime(Plot p, RunResult r, double[] x) {
    if (x.length > 0) {
      p.overTime(x[x.length - 1], r.warmUpNanos() / 1e9);
    }
  }

  /** The VMs drawn one by one, or {@link #ALL} (with a note) when there are more than {@link #VMS_DRAWN}. */
  private static List<String> who(TimeSeries t, Plot p) {
    if (t.vms().size() <= VMS_DRAWN) {
      return t.vms();
    }
    p.note(t.vms().size() + " VMs: their totals");
    return List.of(ALL);
  }

  /** The engine's events and the techniques' priced counters that this run reports. */
  private static List<String> counters(RunResult r, Catalog catalog) {
    Set<String> reported = r.vms().isEmpty() ? Set.of() : r.vms().get(0).metrics().keySet();
    return counters(catalog).stream().filter(reported::contains).toList();
  }

  private static List<String> counters(Catalog catalog) {
    List<String> all = new ArrayList<>(EVENTS);
    all.addAll(catalog.pricedCounters());
    return all;
  }

  private static double mib(Number pages) {
    return pages == null ? 0 : pages.doubleValue() * 4096 / (1 << 20);
  }

  private static double max(double[] values) {
    double m = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        m = Math.max(m, v);
      }
    }
    return m;
  }
}
