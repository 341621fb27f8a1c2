package org.memvirt.reclaim.swap;

import java.util.List;
import org.memvirt.api.MetricInfo;

/** The swapper's counters, per VM, named as Linux's vmstat names them where it has a name. */
final class SwapMetrics {
  private SwapMetrics() {}

  static final String PSWPOUT = "pswpout";
  static final String PSWPIN = "pswpin";
  static final String PSWPIN_SSD = "pswpin_ssd";
  static final String PSWPIN_DISK = "pswpin_disk";
  static final String CLUSTERS = "swapout_clusters";
  static final String ZERO = "swap_zero_pages";
  static final String DEVICE_FULL = "swap_device_full";
  static final String DOUBLE_PAGING = "double_paging";
  static final String FALSE_READS = "false_swap_reads";
  static final String STALE_READS = "stale_swap_reads";
  static final String READS_AVOIDED = "swap_reads_avoided";
  static final String SILENT_WRITES = "silent_swap_writes";
  static final String WRITES_AVOIDED = "swap_writes_avoided";
  static final String COMPRESSIONS = "compressions";
  static final String DECOMPRESSIONS = "decompressions";
  static final String ZIP_FRAMES = "zip_cache_frames";
  static final String ZIP_SAVED = "zip_saved";
  static final String SEQUENTIAL = "swapin_sequential";
  static final String SEQUENTIAL_SLOTS = "swapin_sequential_slots";
  static final String SWAPPED_SHARED = "swapped_shared";
  static final String SWAP_CACHE_HITS = "swap_cache_hits";

  static final List<MetricInfo> ALL = List.of(
      MetricInfo.counter(PSWPOUT, "pages", "Pages written to the host swap device (asynchronously, in clusters)."),
      MetricInfo.counter(PSWPIN, "pages", "Pages read back from the host swap device (the vCPU waits)."),
      MetricInfo.counter(PSWPIN_SSD, "pages", "Of those, from an SSD (priced as `host_swap_in_ssd`)."),
      MetricInfo.counter(PSWPIN_DISK, "pages", "Of those, from a disk (priced as `host_swap_in_disk`)."),
      MetricInfo.counter(CLUSTERS, "writes", "Clustered page-outs: one per reclamation round that wrote pages."),
      MetricInfo.counter(ZERO, "pages", "Victims found all zeros: made zero entries, never written."),
      MetricInfo.counter(DEVICE_FULL, "events", "Reclamation rounds cut short by a full swap device."),
      MetricInfo.counter(DOUBLE_PAGING, "pages", "Swapped pages the guest read for its own swap device: read back only to be written out again."),
      MetricInfo.counter(FALSE_READS, "pages", "Swapped pages read back although the guest then overwrote them whole from the CPU, a zero-fill (VSwapper's false swap reads)."),
      MetricInfo.counter(STALE_READS, "pages", "Swapped pages read back although the guest then overwrote them from its swap device (VSwapper's stale swap reads)."),
      MetricInfo.counter(READS_AVOIDED, "pages", "Whole-page overwrites of swapped pages that read nothing back (`mapper`: the False Reads Preventer)."),
      MetricInfo.counter(SILENT_WRITES, "pages", "Pages written to the host device whose content was already on the guest's swap device, the guest having freed them (VSwapper's silent swap writes)."),
      MetricInfo.counter(WRITES_AVOIDED, "pages", "Such pages dropped instead of written (`mapper`: the Swap Mapper)."),
      MetricInfo.counter(COMPRESSIONS, "pages", "(host) Victims compressed into the cache instead of written (priced as `compress_page`, host work: no vCPU waits)."),
      MetricInfo.counter(DECOMPRESSIONS, "pages", "Compressed pages touched and decompressed (priced as `decompress_page`: the vCPU waits)."),
      MetricInfo.gauge(ZIP_FRAMES, "frames", "Host frames the VM's compression cache holds (two compressed pages each)."),
      MetricInfo.gauge(ZIP_SAVED, "frames", "Frames compression saves: compressed pages less the cache's frames. ESX's name."),
      MetricInfo.counter(SEQUENTIAL, "pages", "Swap-ins of the guest page after the one swapped in before."),
      MetricInfo.counter(SWAPPED_SHARED, "pages", "Pages that went out with a shared frame taken whole (`shared`): one write for all of its pages."),
      MetricInfo.counter(SWAP_CACHE_HITS, "pages", "Faults on a shared frame swapped out whole that found it read back already by another of its pages (the swap cache): mapped shared, no read."),
      MetricInfo.counter(SEQUENTIAL_SLOTS, "pages", "Of those, read from the slot after the one before: `1 - this / swapin_sequential` is the decayed sequentiality."));
}
