package org.memvirt.reclaim.balloon;

import java.util.List;
import org.memvirt.api.MetricInfo;

/** The balloon's metrics, per VM, with virtio's and ESX's words where they have one. */
final class BalloonMetrics {
  private BalloonMetrics() {}

  static final String TARGET = "balloon_target";
  static final String ACTUAL = "balloon_actual";
  static final String INFLATED = "balloon_inflated";
  static final String DEFLATED = "balloon_deflated";
  static final String FROM_FREE = "balloon_from_free";
  static final String FROM_SWAP = "balloon_from_swap";
  static final String GUEST_REFUSED = "balloon_guest_refused";
  static final String HOST_REFUSED = "balloon_host_refused";
  static final String OOM_DEFLATED = "balloon_oom_deflated";
  static final String REPORTED = "balloon_reported";
  static final String TOUCHED = "balloon_touched";
  static final String REQUESTS = "balloon_requests";
  static final String GUEST_MEM_TOTAL = "guest_mem_total";

  static final List<MetricInfo> ALL = List.of(
      MetricInfo.gauge(TARGET, "pages", "The balloon's target size, capped: virtio's `num_pages`, ESX's `vmmemctltgt`."),
      MetricInfo.gauge(ACTUAL, "pages", "Pages in the balloon as its driver counts them: virtio's `actual`."),
      MetricInfo.counter(INFLATED, "pages", "Pages the driver pinned and the host took (priced as `balloon_inflate_page`)."),
      MetricInfo.counter(DEFLATED, "pages", "Pages the driver gave back to the guest's free lists (priced as `balloon_deflate_page`)."),
      MetricInfo.counter(FROM_FREE, "pages", "Of the pages inflated, those the guest gave from its free pages."),
      MetricInfo.counter(FROM_SWAP, "pages", "Of the pages inflated, those the guest found by swapping out a page of its own."),
      MetricInfo.counter(GUEST_REFUSED, "events", "Allocations the guest could not satisfy (nothing free, nothing it could swap)."),
      MetricInfo.counter(HOST_REFUSED, "pages", "Pinned pages the host could not take (a fault on them under way, a holder that refused, the reservation), given back."),
      MetricInfo.counter(OOM_DEFLATED, "pages", "Pages given back on the guest's out-of-memory notifications (`deflate_on_oom`)."),
      MetricInfo.counter(REPORTED, "pages", "Free pages reported whose frames the host dropped (`free_page_reporting`, priced as `balloon_report_page`)."),
      MetricInfo.counter(TOUCHED, "pages", "Ballooned pages touched against the driver's promise: backed again with a zeroed frame."),
      MetricInfo.counter(REQUESTS, "requests", "virtio: inflate and deflate requests of at most 256 pages each."),
      MetricInfo.gauge(GUEST_MEM_TOTAL, "pages", "What the guest's MemTotal shows: its memory, less the balloon where the driver takes ballooned pages off the guest's managed memory (virtio without `deflate_on_oom`; vmw_balloon and virtio with it leave MemTotal and show the balloon as used)."));
}
