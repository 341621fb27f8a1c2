package org.memvirt.policy.shares;

import java.util.List;
import org.memvirt.api.MetricInfo;

/**
 * The policies' metrics, per VM. ESX's {@code active} and {@code SZTGT} are the engine's
 * gauges, set from here.
 */
final class PolicyMetrics {
  private PolicyMetrics() {}

  static final String TOUCHED = "sample_touched";
  static final String SAMPLE_PAGES = "sample_pages";
  static final String SAMPLES = "samples";
  static final String ACTIVE_FAST = "active_fast";
  static final String ACTIVE_SLOW = "active_slow";
  static final String ACTIVE_FAST_NOW = "active_fast_now";

  static final List<MetricInfo> SAMPLING = List.of(
      MetricInfo.gauge(TOUCHED, "sampled pages", "Pages of the last complete sample touched again by the period's end (ESX's TCHD)."),
      MetricInfo.gauge(SAMPLE_PAGES, "sampled pages", "Pages in each sample (`sample.pages`)."),
      MetricInfo.counter(SAMPLES, "samples", "Sampling periods completed."),
      MetricInfo.gauge(ACTIVE_FAST, "pages", "The fast moving average of the active fraction, times the VM's pages."),
      MetricInfo.gauge(ACTIVE_SLOW, "pages", "The slow moving average of the active fraction, times the VM's pages."),
      MetricInfo.gauge(ACTIVE_FAST_NOW, "pages", "The fast average with the period under way, times the VM's pages; `active` is the largest of the three."));
}
