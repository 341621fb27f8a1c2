package org.memvirt.reclaim.sharing;

import java.util.List;
import org.memvirt.api.MetricInfo;

/**
 * Page sharing's metrics: per VM what was merged and broken; per host what the scanner did
 * and, under {@code scanner: ksm}, the kernel's own counters with their kernel meaning
 * (/sys/kernel/mm/ksm and /proc/vmstat). ESX's per-VM {@code shared} and {@code zero}, and
 * the host's {@code shared_common} and {@code shared_saved}, are the engine's gauges.
 */
final class SharingMetrics {
  private SharingMetrics() {}

  // Per VM.
  static final String SCANNED = "share_scanned";
  static final String MERGED = "share_merged";
  static final String ZERO_MERGED = "share_zero_merged";
  static final String COW_BREAKS = "cow_breaks";
  static final String COW_OVERWRITES = "cow_overwrites";
  static final String COW_REUSED = "cow_reused";
  static final String ZERO_BREAKS = "zero_breaks";
  static final String RELEASED = "share_released";
  static final String HANDED_OVER = "share_handed_over";

  // Per host, both scanners.
  static final String HASHES = "share_hashes";
  static final String COMPARES = "share_compares";
  static final String OVERHEAD = "share_overhead_bytes";
  static final String TREE_STEPS = "share_tree_steps";

  // Per host, ESX.
  static final String TABLE_SHARED = "share_table_shared";
  static final String TABLE_HINTS = "share_table_hints";
  static final String TABLE_OVERFLOW = "share_table_overflow";
  static final String HINT_MATCHES = "share_hint_matches";
  static final String HINTS_STALE = "share_hints_stale";
  static final String COLLISIONS = "share_collisions";

  // Per host, KSM (the kernel's names).
  static final String PAGES_SHARED = "pages_shared";
  static final String PAGES_SHARING = "pages_sharing";
  static final String PAGES_UNSHARED = "pages_unshared";
  static final String PAGES_VOLATILE = "pages_volatile";
  static final String FULL_SCANS = "full_scans";
  static final String STABLE_NODE_CHAINS = "stable_node_chains";
  static final String STABLE_NODE_DUPS = "stable_node_dups";
  static final String GENERAL_PROFIT = "general_profit";
  static final String KSM_ZERO_PAGES = "ksm_zero_pages";
  static final String RMAP_ITEMS = "ksm_rmap_items";
  static final String COW_KSM = "cow_ksm";

  static final List<MetricInfo> ALL = List.of(
      MetricInfo.counter(SCANNED, "pages", "Pages of the VM the scanner examined."),
      MetricInfo.counter(MERGED, "pages", "Pages mapped copy-on-write to a shared frame, their own frame freed."),
      MetricInfo.counter(ZERO_MERGED, "pages", "Pages of zeros mapped to the host's zero frame, their own frame freed."),
      MetricInfo.counter(COW_BREAKS, "pages", "Writes to a shared page that copied it to a new private frame (priced as `share_cow_copy`)."),
      MetricInfo.counter(COW_OVERWRITES, "pages", "Whole-page overwrites of a shared page by the guest kernel: a new private frame, nothing copied."),
      MetricInfo.counter(COW_REUSED, "pages", "Writes by the last sharer of a frame, which took the frame back private without a copy."),
      MetricInfo.counter(ZERO_BREAKS, "pages", "Writes to a page mapped to the zero frame: a new zeroed private frame."),
      MetricInfo.counter(RELEASED, "pages", "Shared pages given back to another technique that asked for them."),
      MetricInfo.counter(HANDED_OVER, "pages", "Shared pages handed, with every other page of their frame, to a technique that took the frame whole (host swapping with `shared: true`)."),
      MetricInfo.counter(HASHES, "pages", "Pages hashed or checksummed by the scanner, host-wide (priced as `share_hash_page`, host CPU)."),
      MetricInfo.counter(COMPARES, "pages", "Full comparisons of pages found equal before they merge, host-wide (priced as `share_compare_page`, host CPU)."),
      MetricInfo.counter(TREE_STEPS, "steps", "KSM: levels walked in the stable and unstable trees, each a comparison that stops at the first difference, host-wide (priced as `share_tree_step`, host CPU)."),
      MetricInfo.gauge(OVERHEAD, "bytes", "Memory of the scanner's own structures as the real system sizes them: ESX 16 bytes per table entry plus its overflow table; KSM 64 bytes per rmap item plus its stable nodes."),
      MetricInfo.gauge(TABLE_SHARED, "entries", "ESX: hash table entries for shared frames."),
      MetricInfo.gauge(TABLE_HINTS, "entries", "ESX: hash table entries that are hints (a page hashed once, not shared yet)."),
      MetricInfo.gauge(TABLE_OVERFLOW, "entries", "ESX: shared frames whose count passed the 16-bit field and lives in the overflow table."),
      MetricInfo.counter(HINT_MATCHES, "pages", "ESX: lookups that matched a hint whose page still held that content: both pages shared."),
      MetricInfo.counter(HINTS_STALE, "hints", "ESX: hints found stale (the hinted page changed or went) and dropped."),
      MetricInfo.counter(COLLISIONS, "pages", "ESX: hash matches whose full comparison failed (different content or salt)."),
      MetricInfo.gauge(PAGES_SHARED, "pages", "KSM: stable nodes in use, each counting its first mapping (kernel `pages_shared`)."),
      MetricInfo.gauge(PAGES_SHARING, "pages", "KSM: further mappings of stable nodes, the pages saved (kernel `pages_sharing`)."),
      MetricInfo.gauge(PAGES_UNSHARED, "pages", "KSM: pages whose last visit put them in the unstable tree (kernel `pages_unshared`)."),
      MetricInfo.gauge(PAGES_VOLATILE, "pages", "KSM: rmap items less shared, sharing and unshared: pages changing too fast to merge (kernel `pages_volatile`)."),
      MetricInfo.gauge(FULL_SCANS, "scans", "KSM: completed passes over all mergeable memory since the run began (kernel `full_scans`)."),
      MetricInfo.gauge(STABLE_NODE_CHAINS, "chains", "KSM: contents with more stable nodes than one, chained because of `max_page_sharing`."),
      MetricInfo.gauge(STABLE_NODE_DUPS, "nodes", "KSM: stable nodes in chains."),
      MetricInfo.gauge(GENERAL_PROFIT, "bytes", "KSM: (pages_sharing + ksm_zero_pages) x 4096 - rmap items x 64 (kernel `general_profit`); may be negative."),
      MetricInfo.gauge(KSM_ZERO_PAGES, "pages", "KSM: pages merged with the zero page (`use_zero_pages`; kernel `ksm_zero_pages`)."),
      MetricInfo.gauge(RMAP_ITEMS, "items", "KSM: rmap items, one per page ksmd has visited and found present."),
      MetricInfo.counter(COW_KSM, "pages", "KSM: copies of KSM pages on write, host-wide (/proc/vmstat `cow_ksm`)."));
}
