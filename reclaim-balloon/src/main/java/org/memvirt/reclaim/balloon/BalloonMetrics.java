package org.memvirt.reclaim.balloon;

import java.util.List;
import org.memvirt.api.MetricInfo;

/** The balloon's metrics, per VM, with virtio's and ESX's words where they have one. */
final class BalloonMetrics {
  private BalloonMetrics() {}

  static final MetricInfo TARGET = MetricInfo.gauge("balloon_target", "pages", "The balloon's target size, capped: virtio's `num_pages`, ESX's `vmmemctltgt`.");
  static final MetricInfo ACTUAL = MetricInfo.gauge("balloon_actual", "pages", "Pages in the balloon as its driver counts them: virtio's `actual`.");
  static final MetricInfo INFLATED = MetricInfo.counter("balloon_inflated", "pages", "Pages the driver pinned and the host took (priced as `balloon_inflate_page`).");
  static final MetricInfo DEFLATED = MetricInfo.counter("balloon_deflated", "pages", "Pages the driver gave back to the guest's free lists (priced as `balloon_deflate_page`).");
  static final MetricInfo FROM_FREE = MetricInfo.counter("balloon_from_free", "pages", "Of the pages inflated, those the guest gave from its free pages.");
  static final MetricInfo FROM_SWAP = MetricInfo.counter("balloon_from_swap", "pages", "Of the pages inflated, those the guest found by swapping out a page of its own.");
  static final MetricInfo GUEST_REFUSED = MetricInfo.counter("balloon_guest_refused", "events", "Allocations the guest could not satisfy (nothing free, nothing it could swap).");
  static final MetricInfo HOST_REFUSED = MetricInfo.counter("balloon_host_refused", "pages", "Pinned pages the host could not take (a fault on them under way, a holder that refused, the reservation), given back.");
  static final MetricInfo OOM_DEFLATED = MetricInfo.counter("balloon_oom_deflated", "pages", "Pages given back on the guest's out-of-memory notifications (`deflate_on_oom`).");
  static final MetricInfo REPORTED = MetricInfo.counter("balloon_reported", "pages", "Free pages reported whose frames the host dropped (`free_page_reporting`, priced as `balloon_report_page`).");
  static final MetricInfo TOUCHED = MetricInfo.counter("balloon_touched", "pages", "Ballooned pages touched against the driver's promise: backed again with a zeroed frame.");
  static final MetricInfo REQUESTS = MetricInfo.counter("balloon_requests", "requests", "virtio: inflate and deflate requests of at most 256 pages each.");
  static final MetricInfo GUEST_MEM_TOTAL = MetricInfo.gauge("guest_mem_total", "pages", "What the guest's MemTotal shows: its memory, less the balloon where the driver takes ballooned pages off the guest's managed memory (virtio without `deflate_on_oom`; vmw_balloon and virtio with it leave MemTotal and show the balloon as used).");

  static final List<MetricInfo> ALL = List.of(
      TARGET,
      ACTUAL,
      INFLATED,
      DEFLATED,
      FROM_FREE,
      FROM_SWAP,
      GUEST_REFUSED,
      HOST_REFUSED,
      OOM_DEFLATED,
      REPORTED,
      TOUCHED,
      REQUESTS,
      GUEST_MEM_TOTAL);
}
