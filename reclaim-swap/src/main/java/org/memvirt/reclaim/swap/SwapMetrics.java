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
  static final String FALSE_READS_PREVENTED = "false_reads_prevented";
  static final String SEQUENTIAL = "swapin_sequential";
  static final String SEQUENTIAL_SLOTS = "swapin_sequential_slots";

  static final List<MetricInfo> ALL = List.of(
      MetricInfo.counter(PSWPOUT, "pages", "Pages written to the host swap device (asynchronously, in clusters)."),
      MetricInfo.counter(PSWPIN, "pages", "Pages read back from the host swap device (the vCPU waits)."),
      MetricInfo.counter(PSWPIN_SSD, "pages", "Of those, from an SSD (priced as `host_swap_in_ssd`)."),
      MetricInfo.counter(PSWPIN_DISK, "pages", "Of those, from a disk (priced as `host_swap_in_disk`)."),
      MetricInfo.counter(CLUSTERS, "writes", "Clustered page-outs: one per reclamation round that wrote pages."),
      MetricInfo.counter(ZERO, "pages", "Victims found all zeros: made zero entries, never written."),
      MetricInfo.counter(DEVICE_FULL, "events", "Reclamation rounds cut short by a full swap device."),
      MetricInfo.counter(DOUBLE_PAGING, "pages", "Swapped pages the guest read for its own swap device: read back only to be written out again."),
      MetricInfo.counter(FALSE_READS, "pages", "Swapped pages read back although the guest overwrote them whole (VSwapper's false swap reads)."),
      MetricInfo.counter(FALSE_READS_PREVENTED, "pages", "Whole-page overwrites of swapped pages that read nothing back (`prevent_false_reads`)."),
      MetricInfo.counter(SEQUENTIAL, "pages", "Swap-ins of the guest page after the one swapped in before."),
      MetricInfo.counter(SEQUENTIAL_SLOTS, "pages", "Of those, read from the slot after the one before: `1 - this / swapin_sequential` is the decayed sequentiality."));
}
