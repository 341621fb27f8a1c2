package org.memvirt.policy.shares;

import java.util.List;
import org.memvirt.api.MetricInfo;

/**
 * The policies' metrics, per VM. ESX's {@code active} and {@code SZTGT} are the engine's
 * gauges, set from here.
 */
final class PolicyMetrics {
  private PolicyMetrics() {}

  static final MetricInfo TOUCHED = MetricInfo.gauge("sample_touched", "sampled pages", "Pages of the last complete sample touched again by the period's end (ESX's TCHD).");
  static final MetricInfo SAMPLE_PAGES = MetricInfo.gauge("sample_pages", "sampled pages", "Pages in each sample (`sample.pages`).");
  static final MetricInfo SAMPLES = MetricInfo.counter("samples", "samples", "Sampling periods completed.");
  static final MetricInfo ACTIVE_FAST = MetricInfo.gauge("active_fast", "pages", "The fast moving average of the active fraction, times the VM's pages.");
  static final MetricInfo ACTIVE_SLOW = MetricInfo.gauge("active_slow", "pages", "The slow moving average of the active fraction, times the VM's pages.");
  static final MetricInfo ACTIVE_FAST_NOW = MetricInfo.gauge("active_fast_now", "pages", "The fast average with the period under way, times the VM's pages; `active` is the largest of the three.");

  static final List<MetricInfo> SAMPLING = List.of(
      TOUCHED,
      SAMPLE_PAGES,
      SAMPLES,
      ACTIVE_FAST,
      ACTIVE_SLOW,
      ACTIVE_FAST_NOW);
}
