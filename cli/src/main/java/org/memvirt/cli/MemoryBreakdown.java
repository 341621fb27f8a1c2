package org.memvirt.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.memvirt.api.MetricNames;

/**
 * Where each page of a VM's configured memory is at each sample, as layers that add up to
 * the configured size: private pages the guest uses, private pages free in the guest,
 * shared pages (but those of the zero page), zero pages, ballooned, host-swapped,
 * compressed, and pages not backed at all. The P2M's states partition the guest's pages;
 * only {@code private} is split, by the guest's own free lists.
 */
final class MemoryBreakdown {
  /** The layers from the bottom of the stack up, with their legends. */
  static final Map<String, String> LAYERS = layers();

  private final double[] seconds;
  private final Map<String, double[]> pages = new LinkedHashMap<>();

  private static Map<String, String> layers() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("private_used", "private (guest uses)");
    m.put("private_free", "private (guest free)");
    m.put("shared", "shared");
    m.put("zero", "zero");
    m.put("ballooned", "ballooned");
    m.put("swapped", "host swapped");
    m.put("compressed", "compressed");
    m.put("unbacked", "not backed");
    return m;
  }

  MemoryBreakdown(TimeSeries t, String vm) {
    seconds = t.seconds();
    double[] priv = t.values(vm, MetricNames.PRIVATE);
    double[] privFree = t.values(vm, MetricNames.PRIVATE_FREE);
    double[] shared = t.values(vm, MetricNames.SHARED);
    double[] zero = t.values(vm, MetricNames.ZERO);
    double[] granted = t.values(vm, MetricNames.GRANTED);
    int n = seconds.length;
    double[] used = new double[n];
    double[] sharedOnly = new double[n];
    for (int i = 0; i < n; i++) {
      used[i] = priv[i] - privFree[i];
      // granted = private + shared + pages zero without a frame; ESX's zero also counts the
      // shared pages whose frame holds zeros, which are taken out of shared here.
      double zeroUnbacked = granted[i] - priv[i] - shared[i];
      sharedOnly[i] = shared[i] - (zero[i] - zeroUnbacked);
    }
    pages.put("private_used", used);
    pages.put("private_free", privFree);
    pages.put("shared", sharedOnly);
    pages.put("zero", zero);
    pages.put("ballooned", t.values(vm, MetricNames.BALLOONED));
    pages.put("swapped", t.values(vm, MetricNames.SWAPPED));
    pages.put("compressed", t.values(vm, MetricNames.COMPRESSED));
    pages.put("unbacked", t.values(vm, MetricNames.UNBACKED));
  }

  double[] seconds() {
    return seconds.clone();
  }

  /** A layer's pages at each sample. */
  double[] pages(String layer) {
    return pages.get(layer).clone();
  }

  /** The layers' total at each sample: the VM's configured pages. */
  double[] total() {
    double[] sum = new double[seconds.length];
    for (double[] layer : pages.values()) {
      for (int i = 0; i < sum.length; i++) {
        sum[i] += layer[i];
      }
    }
    return sum;
  }
}
