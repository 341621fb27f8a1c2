package org.memvirt.reclaim.swap;

import java.util.List;
import org.memvirt.api.MetricInfo;

/** The swapper's counters, per VM, named as Linux's vmstat names them where it has a name. */
final class SwapMetrics {
  private SwapMetrics() {}

  static final MetricInfo PSWPOUT = MetricInfo.counter("pswpout", "pages", "Pages written to the host swap device (asynchronously, in clusters).");
  static final MetricInfo PSWPIN = MetricInfo.counter("pswpin", "pages", "Pages read back from the host swap device (the vCPU waits).");
  static final MetricInfo PSWPIN_SSD = MetricInfo.counter("pswpin_ssd", "pages", "Of those, from an SSD (priced as `host_swap_in_ssd`).");
  static final MetricInfo PSWPIN_DISK = MetricInfo.counter("pswpin_disk", "pages", "Of those, from a disk (priced as `host_swap_in_disk`).");
  static final MetricInfo CLUSTERS = MetricInfo.counter("swapout_clusters", "writes", "Clustered page-outs: one per reclamation round that wrote pages.");
  static final MetricInfo ZERO = MetricInfo.counter("swap_zero_pages", "pages", "Victims found all zeros: made zero entries, never written.");
  static final MetricInfo DEVICE_FULL = MetricInfo.counter("swap_device_full", "events", "Reclamation rounds cut short by a full swap device.");
  static final MetricInfo DOUBLE_PAGING = MetricInfo.counter("double_paging", "pages", "Swapped pages the guest read for its own swap device: read back only to be written out again.");
  static final MetricInfo FALSE_READS = MetricInfo.counter("false_swap_reads", "pages", "Swapped pages read back although the guest then overwrote them whole from the CPU, a zero-fill (VSwapper's false swap reads).");
  static final MetricInfo STALE_READS = MetricInfo.counter("stale_swap_reads", "pages", "Swapped pages read back although the guest then overwrote them from its swap device (VSwapper's stale swap reads).");
  static final MetricInfo READS_AVOIDED = MetricInfo.counter("swap_reads_avoided", "pages", "Whole-page overwrites of swapped pages that read nothing back (`mapper`: the False Reads Preventer).");
  static final MetricInfo SILENT_WRITES = MetricInfo.counter("silent_swap_writes", "pages", "Pages written to the host device whose content was already on the guest's swap device, the guest having freed them (VSwapper's silent swap writes).");
  static final MetricInfo WRITES_AVOIDED = MetricInfo.counter("swap_writes_avoided", "pages", "Such pages dropped instead of written (`mapper`: the Swap Mapper).");
  static final MetricInfo COMPRESSIONS = MetricInfo.counter("compressions", "pages", "(host) Victims compressed into the cache instead of written (priced as `compress_page`, host work: no vCPU waits).");
  static final MetricInfo DECOMPRESSIONS = MetricInfo.counter("decompressions", "pages", "Compressed pages touched and decompressed (priced as `decompress_page`: the vCPU waits).");
  static final MetricInfo ZIP_FRAMES = MetricInfo.gauge("zip_cache_frames", "frames", "Host frames the VM's compression cache holds (two compressed pages each).");
  static final MetricInfo ZIP_SAVED = MetricInfo.gauge("zip_saved", "frames", "Frames compression saves: compressed pages less the cache's frames. ESX's name.");
  static final MetricInfo SEQUENTIAL = MetricInfo.counter("swapin_sequential", "pages", "Swap-ins of the guest page after the one swapped in before.");
  static final MetricInfo SWAPPED_SHARED = MetricInfo.counter("swapped_shared", "pages", "Pages that went out with a shared frame taken whole (`shared`): one write for all of its pages.");
  static final MetricInfo SWAP_CACHE_HITS = MetricInfo.counter("swap_cache_hits", "pages", "Faults on a shared frame swapped out whole that found it read back already by another of its pages (the swap cache): mapped shared, no read.");
  static final MetricInfo SEQUENTIAL_SLOTS = MetricInfo.counter("swapin_sequential_slots", "pages", "Of those, read from the slot after the one before: `1 - this / swapin_sequential` is the decayed sequentiality.");

  static final List<MetricInfo> ALL = List.of(
      PSWPOUT,
      PSWPIN,
      PSWPIN_SSD,
      PSWPIN_DISK,
      CLUSTERS,
      ZERO,
      DEVICE_FULL,
      DOUBLE_PAGING,
      FALSE_READS,
      STALE_READS,
      READS_AVOIDED,
      SILENT_WRITES,
      WRITES_AVOIDED,
      COMPRESSIONS,
      DECOMPRESSIONS,
      ZIP_FRAMES,
      ZIP_SAVED,
      SEQUENTIAL,
      SWAPPED_SHARED,
      SWAP_CACHE_HITS,
      SEQUENTIAL_SLOTS);
}
