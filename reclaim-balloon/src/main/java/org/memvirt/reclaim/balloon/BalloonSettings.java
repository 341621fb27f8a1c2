package org.memvirt.reclaim.balloon;

import java.util.Locale;
import org.memvirt.api.Settings;
import org.memvirt.api.memory.HostMemoryState;

/**
 * The {@code reclaim.balloon} section: the driver type and its period, the cap, the state
 * it acts from, and virtio's optional features.
 */
record BalloonSettings(String driver, long periodNanos, double cap, HostMemoryState actsFrom, long backoffNanos,
    boolean deflateOnOom, long oomPages, boolean freePageReporting, long reportingDelayNanos, long requestNanos) {

  static BalloonSettings read(Settings s) {
    String driver = s.choice("driver", "vmware", "vmware", "virtio");
    // vmw_balloon's work loop runs once a second; virtio's hosts set targets about as often.
    long period = s.duration("period", 1_000_000_000L);
    if (period <= 0) {
      throw s.invalid("period", "a positive duration, e.g. 1s");
    }
    // Mem.CtlMaxPercent: 65% of the VM's memory (ESXi 4+); ESX 2.x capped at half.
    double cap = s.fraction("cap", 0.65);
    HostMemoryState from = HostMemoryState.valueOf(
        s.choice("acts_from", "soft", "soft", "hard", "low").toUpperCase(Locale.ROOT));
    // virtio-balloon: "Out of puff!" then msleep(200) before the worker tries again.
    long backoff = s.duration("backoff", 200_000_000L);
    if (backoff <= 0) {
      throw s.invalid("backoff", "a positive duration, e.g. 200ms");
    }
    // VIRTIO_BALLOON_F_DEFLATE_ON_OOM: off unless negotiated (QEMU: deflate-on-oom=off).
    boolean oom = s.flag("deflate_on_oom", false);
    // oom_pages, the virtio_balloon module parameter: 256 pages per notification.
    long oomPages = s.count("oom_pages", 256);
    if (oomPages <= 0 || oomPages > Integer.MAX_VALUE) {
      throw s.invalid("oom_pages", "a positive number of pages per out-of-memory notification (Linux: 256)");
    }
    // VIRTIO_BALLOON_F_REPORTING: off by default (QEMU: free-page-reporting=off).
    boolean reporting = s.flag("free_page_reporting", false);
    // Linux's page_reporting delays a pass 2 s after enough pages were freed.
    long delay = s.duration("reporting_delay", 2_000_000_000L);
    if (delay <= 0) {
      throw s.invalid("reporting_delay", "a positive duration, e.g. 2s");
    }
    // Each request waits for the host's ack; 0: no time of its own (a KVM host answers in
    // microseconds, less than a tick resolves). An emulated QEMU guest here took about 10 ms.
    long request = s.has("request_time") ? s.duration("request_time", 0) : 0;
    if (request < 0) {
      throw s.invalid("request_time", "a positive duration, e.g. 10ms");
    }
    if (!driver.equals("virtio") && s.has("request_time")) {
      throw s.invalid("request_time", "driver: virtio for this setting (vmw_balloon's pace is its rate)");
    }
    if (!driver.equals("virtio") && (oom || reporting)) {
      throw s.invalid(oom ? "deflate_on_oom" : "free_page_reporting",
          "driver: virtio for this virtio-balloon feature (vmw_balloon has none)");
    }
    return new BalloonSettings(driver, period, cap, from, backoff, oom, oomPages, reporting, delay, request);
  }

  /** The most pages {@code vm}'s balloon may hold. */
  long capPages(org.memvirt.api.reclaim.VmMemory vm) {
    return (long) Math.floor(cap * vm.pages());
  }

  /** virtio: requests the worker completes in one tick (all it needs without a request_time). */
  long requestsPerWake() {
    return requestNanos == 0 ? Long.MAX_VALUE : Math.max(1, tickNanos() / requestNanos);
  }

  boolean virtio() {
    return driver.equals("virtio");
  }

  /** How often the technique wakes: every period, and (virtio) in steps of the back-off. */
  long tickNanos() {
    return virtio() ? gcd(periodNanos, backoffNanos) : periodNanos;
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
