package org.memvirt.reclaim.sharing;

import java.util.List;
import org.memvirt.api.MetricInfo;
import org.memvirt.api.SettingInfo;
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
        new CostEntry("share_hash_page", SharingMetrics.HASHES.name(), 1_000, false,
            "hashing a 4 KiB page (64-bit hash, or KSM's xxhash checksum): ~4 B/cycle with cache misses (estimate)"),
        new CostEntry("share_compare_page", SharingMetrics.COMPARES.name(), 1_000, false,
            "comparing two equal 4 KiB pages in full (memcmp to the end): ~4 B/cycle with cache misses (estimate)"),
        new CostEntry("share_tree_step", SharingMetrics.TREE_STEPS.name(), 100, false,
            "one level of a KSM tree walk: a memcmp that stops at the first difference and a pointer chase, "
                + "a cache miss or two (estimate)"),
        new CostEntry("share_cow_copy", SharingMetrics.COW_BREAKS.name(), 1_500, false,
            "copying a 4 KiB page on a write to a shared page: ~3 B/cycle with cache misses (estimate)"));
  }

  @Override
  public List<MetricInfo> metrics() {
    return SharingMetrics.ALL;
  }

  @Override
  public java.util.List<SettingInfo> settings() {
    return java.util.List.of(
        new SettingInfo("scanner", "esx", "esx (hash table with hints) or ksm (stable and unstable trees)"),
        new SettingInfo("salt", "none", "none: VMs share with each other; vm: each only with itself (ESXi 6+)"),
        new SettingInfo("scan_vm", "50/s", "esx: pages scanned per VM (ESX 2.x Mem.ShareScanVM)"),
        new SettingInfo("scan_total", "200/s", "esx: pages scanned in all, split evenly (ESX 2.x Mem.ShareScanTotal)"),
        new SettingInfo("period", "100ms", "esx: how often the scanner wakes to spend its rate"),
        new SettingInfo("zero_page", "true", "esx: pages of zeros map to one zero frame"),
        SettingInfo.example("scan_time", "60min", "esx, instead of scan_vm: each VM whole once per this (ESXi 4+ Mem.ShareScanTime; no default)"),
        SettingInfo.example("pages_to_scan", "100", "ksm: present pages per wake-up (Linux sysfs)"),
        SettingInfo.example("sleep_millisecs", "20", "ksm: between wake-ups (Linux sysfs)"),
        SettingInfo.example("max_page_sharing", "256", "ksm: pages per stable node; more get chained duplicates (Linux sysfs)"),
        SettingInfo.example("use_zero_pages", "false", "ksm: merge pages of zeros with the zero page (Linux sysfs)"),
        SettingInfo.example("stable_node_chains_prune_millisecs", "2000", "ksm: how often a search walks a whole chain of duplicates, dropping stale ones and taking the fullest (Linux sysfs)"));
  }

  @Override
  public java.util.List<SettingInfo> vmSettings() {
    return java.util.List.of(
        new SettingInfo("sharing", "true", "its pages are scanned (ESX sched.mem.pshare.enable, KSM's MADV_MERGEABLE)"),
        SettingInfo.example("salt", "team-a", "VMs with the same salt share whatever reclaim.sharing.salt says (ESX sched.mem.pshare.salt; no default)"));
  }

  @Override
  public Reclaimer create(ReclaimContext context) {
    return new PageSharing(context, SharingSettings.read(context.settings()));
  }
}
