package org.memvirt.reclaim.balloon;

import org.memvirt.api.SettingInfo;
import java.util.List;
import org.memvirt.api.MetricInfo;
import org.memvirt.api.mmu.CostEntry;
import org.memvirt.api.reclaim.ReclaimContext;
import org.memvirt.api.reclaim.Reclaimer;
import org.memvirt.api.reclaim.ReclaimerFactory;

/** Makes the balloon drivers of one run ({@code reclaim: {balloon: {...}}}). */
public final class BalloonReclaimerFactory implements ReclaimerFactory {
  static final String NAME = "balloon";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "ballooning: a driver in each guest (vmware or virtio) gives pages the guest chooses; deflate-on-OOM, "
        + "free page reporting";
  }

  /** Estimates: the driver's work runs on the guest's vCPU, so it stalls the VM's workload. */
  @Override
  public List<CostEntry> costs() {
    return List.of(
        new CostEntry("balloon_inflate_page", BalloonMetrics.INFLATED.name(), 5_000, false,
            "allocating and pinning a guest page, telling the host and its unmapping the frame: ~2 us (estimate)"),
        new CostEntry("balloon_deflate_page", BalloonMetrics.DEFLATED.name(), 1_000, false,
            "unpinning a page back to the guest's free lists: ~0.4 us (estimate)"),
        new CostEntry("balloon_report_page", BalloonMetrics.REPORTED.name(), 2_500, false,
            "reporting a free page and the host's discarding its frame (madvise): ~1 us (estimate)"));
  }

  @Override
  public List<MetricInfo> metrics() {
    return BalloonMetrics.ALL;
  }

  @Override
  public java.util.List<SettingInfo> settings() {
    return java.util.List.of(
        new SettingInfo("driver", "vmware", "vmware (vmw_balloon's adaptive rates) or virtio (256-page requests)"),
        new SettingInfo("period", "1s", "how often the host reviews targets and the vmware driver wakes"),
        new SettingInfo("cap", "0.65", "at most this fraction of a VM's memory (ESXi Mem.CtlMaxPercent; ESX 2.x: 0.5)"),
        new SettingInfo("acts_from", "soft", "the free-memory state it is asked for pages from (ESX: soft)"),
        new SettingInfo("backoff", "200ms", "virtio: the wait after a failed allocation"),
        new SettingInfo("deflate_on_oom", "false", "virtio: give oom_pages back per guest out-of-memory notification"),
        new SettingInfo("oom_pages", "256", "virtio: pages per notification (Linux: 256)"),
        new SettingInfo("free_page_reporting", "false", "virtio: the host drops the frames of pages the guest freed"),
        new SettingInfo("reporting_delay", "2s", "virtio: from the first page freed to the reporting pass (Linux PAGE_REPORTING_DELAY: 2 s)"),
        SettingInfo.example("request_time", "10ms", "virtio: how long each request of 256 pages waits for the host's ack (no default: no time of its own)"));
  }

  @Override
  public java.util.List<SettingInfo> vmSettings() {
    return java.util.List.of(
        new SettingInfo("balloon", "true", "a cooperating balloon driver in this guest (false: the host swaps it instead)"),
        SettingInfo.example("balloon_to", "192MiB", "balloon the guest down to this from the start, as QEMU's balloon command (no default)"));
  }

  @Override
  public Reclaimer create(ReclaimContext context) {
    return new Ballooning(context, BalloonSettings.read(context.settings()));
  }
}
