package org.memvirt.reclaim.sharing;

import java.util.List;
import org.memvirt.api.MetricInfo;
import org.memvirt.api.mmu.CostEntry;
import org.memvirt.api.reclaim.ReclaimContext;
import org.memvirt.api.reclaim.Reclaimer;
import org.memvirt.api.reclaim.ReclaimerFactory;

/** Makes content-based page sharing for one run ({@code reclaim: {sharing: {...}}}). */
public final class SharingReclaimerFactory implements ReclaimerFactory {
  static final String NAME = "sharing";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "content-based page sharing: ESX's hash table with hints or KSM's stable and unstable trees, "
        + "the zero page, copy-on-write, salting";
  }

  /**
   * Estimates. Hashing and comparing run on the host (ESX's VMkernel, ksmd): host CPU, no
   * vCPU stall. A copy-on-write copy stalls the writing vCPU; its EPT violation and the
   * zeroing of the new frame are the engine's {@code vm_exit} and {@code zero_frame}.
   */
  @Override
  public List<CostEntry> costs() {
    return List.of(
        new CostEntry("share_hash_page", SharingMetrics.HASHES, 1_000, false,
            "hashing a 4 KiB page (64-bit hash, or KSM's xxhash checksum): ~4 B/cycle with cache misses (estimate)"),
        new CostEntry("share_compare_page", SharingMetrics.COMPARES, 1_000, false,
            "comparing two equal 4 KiB pages in full (memcmp to the end): ~4 B/cycle with cache misses (estimate)"),
        new CostEntry("share_tree_step", SharingMetrics.TREE_STEPS, 100, false,
            "one level of a KSM tree walk: a memcmp that stops at the first difference and a pointer chase, "
                + "a cache miss or two (estimate)"),
        new CostEntry("share_cow_copy", SharingMetrics.COW_BREAKS, 1_500, false,
            "copying a 4 KiB page on a write to a shared page: ~3 B/cycle with cache misses (estimate)"));
  }

  @Override
  public List<MetricInfo> metrics() {
    return SharingMetrics.ALL;
  }

  @Override
  public Reclaimer create(ReclaimContext context) {
    return new PageSharing(context, SharingSettings.read(context.settings()));
  }
}
