package org.memvirt.reclaim.swap;

import org.memvirt.api.SettingInfo;
import java.util.List;
import org.memvirt.api.MetricInfo;
import org.memvirt.api.mmu.CostEntry;
import org.memvirt.api.reclaim.ReclaimContext;
import org.memvirt.api.reclaim.Reclaimer;
import org.memvirt.api.reclaim.ReclaimerFactory;

/** Makes the hypervisor swapper of one run ({@code reclaim: {swap: {...}}}). */
public final class SwapReclaimerFactory implements ReclaimerFactory {
  static final String NAME = "swap";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "hypervisor swapping: a host swap device behind the guest's back, random or CLOCK victims, zero pages, "
        + "compression, VSwapper's fixes";
  }

  @Override
  public List<CostEntry> costs() {
    return List.of(
        CostEntry.nanos("host_swap_in_ssd", SwapMetrics.PSWPIN_SSD.name(), 100_000, false,
            "a 4 KiB random read from an SSD, ~100 us (the guest's swap-in cost too)"),
        CostEntry.nanos("host_swap_in_disk", SwapMetrics.PSWPIN_DISK.name(), 8_000_000, false,
            "a 4 KiB random read from a 7200 rpm disk: ~8 ms of seek and rotation"),
        new CostEntry("compress_page", SwapMetrics.COMPRESSIONS.name(), 10_000, false,
            "compressing 4 KiB with a fast LZ-class compressor, ~4 us (estimate)"),
        new CostEntry("decompress_page", SwapMetrics.DECOMPRESSIONS.name(), 5_000, false,
            "decompressing 4 KiB, ~2 us (estimate): far below a swap-in"));
  }

  @Override
  public List<MetricInfo> metrics() {
    return SwapMetrics.ALL;
  }

  @Override
  public java.util.List<SettingInfo> settings() {
    return java.util.List.of(
        new SettingInfo("device", "ssd", "ssd or disk: what a swap-in costs"),
        new SettingInfo("victims", "random", "random (ESX) or clock (nested accessed bits)"),
        new SettingInfo("zero_pages", "true", "an all-zero victim becomes a zero entry, never written"),
        new SettingInfo("compression", "false", "ESX's compression cache for pages that compress to half a page"),
        new SettingInfo("zip_max_pct", "0.1", "the cache's size, a fraction of the VM's memory (ESX Mem.MemZipMaxPct)"),
        new SettingInfo("mapper", "false", "VSwapper's Swap Mapper and False Reads Preventer"),
        new SettingInfo("acts_from", "hard", "the free-memory state it reclaims from (ESX: hard)"),
        new SettingInfo("shared", "false", "also swap shared pages, their frame taken whole from its holder and written once (Linux swaps KSM pages)"),
        SettingInfo.example("size", "1GiB", "per VM; by default memory - min of each VM (as ESX sizes its .vswp file)"));
  }

  @Override
  public Reclaimer create(ReclaimContext context) {
    return new HostSwapper(context, SwapSettings.read(context.settings()));
  }
}
