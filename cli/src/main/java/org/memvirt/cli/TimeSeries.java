package org.memvirt.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.memvirt.engine.report.RunResult;

/**
 * A run's samples as columns: the sample times (seconds), and for a VM and a metric its
 * values at those times (NaN where the VM had no such value yet: a gauge created on first
 * use). The host's gauges ride along in every VM's samples.
 */
final class TimeSeries {
  private final double[] seconds;
  /** When the warm-up reset the counters (0: never). */
  private final double warmUp;
  private final Map<String, List<RunResult.Sample>> byVm = new LinkedHashMap<>();

  TimeSeries(RunResult r) {
    warmUp = r.warmUpNanos() / 1e9;
    List<Long> times = new ArrayList<>();
    for (RunResult.Sample s : r.timeSeries()) {
      byVm.computeIfAbsent(s.vm(), k -> new ArrayList<>()).add(s);
    }
    List<RunResult.Sample> first = byVm.isEmpty() ? List.of() : byVm.values().iterator().next();
    first.forEach(s -> times.add(s.timeNanos()));
    seconds = new double[times.size()];
    for (int i = 0; i < seconds.length; i++) {
      seconds[i] = times.get(i) / 1e9;
    }
  }

  double[] seconds() {
    return seconds.clone();
  }

  int size() {
    return seconds.length;
  }

  List<String> vms() {
    return List.copyOf(byVm.keySet());
  }

  /** {@code metric} of {@code vm} at each sample time. */
  double[] values(String vm, String metric) {
    List<RunResult.Sample> samples = byVm.getOrDefault(vm, List.of());
    double[] y = new double[seconds.length];
    for (int i = 0; i < y.length; i++) {
      Long v = i < samples.size() ? samples.get(i).values().get(metric) : null;
      y[i] = v == null ? Double.NaN : v;
    }
    return y;
  }

  /** A host gauge (carried in every VM's samples) at each sample time. */
  double[] host(String metric) {
    return byVm.isEmpty() ? new double[0] : values(byVm.keySet().iterator().next(), metric);
  }

  /** {@code metric} summed over the VMs at each sample time (a VM without it adds 0). */
  double[] sum(String metric) {
    double[] total = new double[seconds.length];
    for (String vm : byVm.keySet()) {
      double[] y = values(vm, metric);
      for (int i = 0; i < y.length; i++) {
        total[i] += Double.isNaN(y[i]) ? 0 : y[i];
      }
    }
    return total;
  }

  /**
   * A counter's rate per second over each sample interval, at the interval's end (the first
   * sample has none). Where the warm-up reset the counter within an interval, its rate there
   * is what it counted since the reset, over the time since.
   */
  double[] rate(String vm, String counter) {
    return rate(values(vm, counter));
  }

  /** The rate per second of counter values {@code v} sampled at this series' times, as {@link #rate(String, String)}. */
  double[] rate(double[] v) {
    double[] r = new double[v.length];
    if (r.length == 0) {
      return r;
    }
    r[0] = Double.NaN;
    for (int i = 1; i < v.length; i++) {
      double dt = seconds[i] - seconds[i - 1];
      double dv = v[i] - v[i - 1];
      if (dv < 0 && warmUp > seconds[i - 1] - 1e-9 && warmUp <= seconds[i]) {
        dv = v[i];
        dt = seconds[i] - warmUp;
      }
      r[i] = dt <= 0 || dv < 0 || Double.isNaN(dv) ? Double.NaN : dv / dt;
    }
    return r;
  }

  /** The ratio of two counters' increases over each interval (NaN where the divisor did not grow). */
  double[] ratioOfIncreases(String vm, String numerator, String denominator) {
    return ratioOfIncreases(values(vm, numerator), values(vm, denominator));
  }

  /**
   * The ratio of the increases of counters {@code a} and {@code b} over each interval; where
   * the warm-up reset them within it, of what they counted since.
   */
  double[] ratioOfIncreases(double[] a, double[] b) {
    double[] r = new double[a.length];
    if (r.length == 0) {
      return r;
    }
    r[0] = Double.NaN;
    for (int i = 1; i < a.length; i++) {
      boolean reset = warmUp > seconds[i - 1] - 1e-9 && warmUp <= seconds[i]
          && (a[i] < a[i - 1] || b[i] < b[i - 1]);
      double da = reset ? a[i] : a[i] - a[i - 1];
      double db = reset ? b[i] : b[i] - b[i - 1];
      r[i] = db > 0 && da >= 0 ? da / db : Double.NaN;
    }
    return r;
  }

  static double[] mib(double[] pages) {
    double[] m = new double[pages.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = pages[i] * 4096.0 / (1 << 20);
    }
    return m;
  }
}
