package org.memvirt.reclaim.balloon;

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
        new CostEntry("balloon_inflate_page", BalloonMetrics.INFLATED, 5_000, false,
            "allocating and pinning a guest page, telling the host and its unmapping the frame: ~2 us (estimate)"),
        new CostEntry("balloon_deflate_page", BalloonMetrics.DEFLATED, 1_000, false,
            "unpinning a page back to the guest's free lists: ~0.4 us (estimate)"),
        new CostEntry("balloon_report_page", BalloonMetrics.REPORTED, 2_500, false,
            "reporting a free page and the host's discarding its frame (madvise): ~1 us (estimate)"));
  }

  @Override
  public List<MetricInfo> metrics() {
    return BalloonMetrics.ALL;
  }

  @Override
  public Reclaimer create(ReclaimContext context) {
    return new Ballooning(context, BalloonSettings.read(context.settings()));
  }
}
