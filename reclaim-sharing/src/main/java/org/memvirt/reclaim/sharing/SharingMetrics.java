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
  static final MetricInfo SCANNED = MetricInfo.counter("share_scanned", "pages", "Pages of the VM the scanner examined.");
  static final MetricInfo MERGED = MetricInfo.counter("share_merged", "pages", "Pages mapped copy-on-write to a shared frame, their own frame freed.");
  static final MetricInfo ZERO_MERGED = MetricInfo.counter("share_zero_merged", "pages", "Pages of zeros mapped to the host's zero frame, their own frame freed.");
  static final MetricInfo COW_BREAKS = MetricInfo.counter("cow_breaks", "pages", "Writes to a shared page that copied it to a new private frame (priced as `share_cow_copy`).");
  static final MetricInfo COW_OVERWRITES = MetricInfo.counter("cow_overwrites", "pages", "Whole-page overwrites of a shared page by the guest kernel: a new private frame, nothing copied.");
  static final MetricInfo COW_REUSED = MetricInfo.counter("cow_reused", "pages", "Writes by the last sharer of a frame, which took the frame back private without a copy.");
  static final MetricInfo ZERO_BREAKS = MetricInfo.counter("zero_breaks", "pages", "Writes to a page mapped to the zero frame: a new zeroed private frame.");
  static final MetricInfo RELEASED = MetricInfo.counter("share_released", "pages", "Shared pages given back to another technique that asked for them.");
  static final MetricInfo HANDED_OVER = MetricInfo.counter("share_handed_over", "pages", "Shared pages handed, with every other page of their frame, to a technique that took the frame whole (host swapping with `shared: true`).");
  static final MetricInfo HASHES = MetricInfo.counter("share_hashes", "pages", "Pages hashed or checksummed by the scanner, host-wide (priced as `share_hash_page`, host CPU).");
  static final MetricInfo COMPARES = MetricInfo.counter("share_compares", "pages", "Full comparisons of pages found equal before they merge, host-wide (priced as `share_compare_page`, host CPU).");
  static final MetricInfo TREE_STEPS = MetricInfo.counter("share_tree_steps", "steps", "KSM: levels walked in the stable and unstable trees, each a comparison that stops at the first difference, host-wide (priced as `share_tree_step`, host CPU).");
  static final MetricInfo OVERHEAD = MetricInfo.gauge("share_overhead_bytes", "bytes", "Memory of the scanner's own structures as the real system sizes them: ESX 16 bytes per table entry plus its overflow table; KSM 64 bytes per rmap item plus its stable nodes.");
  static final MetricInfo TABLE_SHARED = MetricInfo.gauge("share_table_shared", "entries", "ESX: hash table entries for shared frames.");
  static final MetricInfo TABLE_HINTS = MetricInfo.gauge("share_table_hints", "entries", "ESX: hash table entries that are hints (a page hashed once, not shared yet).");
  static final MetricInfo TABLE_OVERFLOW = MetricInfo.gauge("share_table_overflow", "entries", "ESX: shared frames whose count passed the 16-bit field and lives in the overflow table.");
  static final MetricInfo HINT_MATCHES = MetricInfo.counter("share_hint_matches", "pages", "ESX: lookups that matched a hint whose page still held that content: both pages shared.");
  static final MetricInfo HINTS_STALE = MetricInfo.counter("share_hints_stale", "hints", "ESX: hints found stale (the hinted page changed or went) and dropped.");
  static final MetricInfo COLLISIONS = MetricInfo.counter("share_collisions", "pages", "ESX: hash matches whose full comparison failed (different content or salt).");
  static final MetricInfo PAGES_SHARED = MetricInfo.gauge("pages_shared", "pages", "KSM: stable nodes in use, each counting its first mapping (kernel `pages_shared`).");
  static final MetricInfo PAGES_SHARING = MetricInfo.gauge("pages_sharing", "pages", "KSM: further mappings of stable nodes, the pages saved (kernel `pages_sharing`).");
  static final MetricInfo PAGES_UNSHARED = MetricInfo.gauge("pages_unshared", "pages", "KSM: pages whose last visit put them in the unstable tree (kernel `pages_unshared`).");
  static final MetricInfo PAGES_VOLATILE = MetricInfo.gauge("pages_volatile", "pages", "KSM: rmap items less shared, sharing and unshared: pages changing too fast to merge (kernel `pages_volatile`).");
  static final MetricInfo FULL_SCANS = MetricInfo.gauge("full_scans", "scans", "KSM: completed passes over all mergeable memory since the run began (kernel `full_scans`).");
  static final MetricInfo STABLE_NODE_CHAINS = MetricInfo.gauge("stable_node_chains", "chains", "KSM: contents with more stable nodes than one, chained because of `max_page_sharing`.");
  static final MetricInfo STABLE_NODE_DUPS = MetricInfo.gauge("stable_node_dups", "nodes", "KSM: stable nodes in chains.");
  static final MetricInfo GENERAL_PROFIT = MetricInfo.gauge("general_profit", "bytes", "KSM: (pages_sharing + ksm_zero_pages) x 4096 - rmap items x 64 (kernel `general_profit`); may be negative.");
  static final MetricInfo KSM_ZERO_PAGES = MetricInfo.gauge("ksm_zero_pages", "pages", "KSM: pages merged with the zero page (`use_zero_pages`; kernel `ksm_zero_pages`).");
  static final MetricInfo RMAP_ITEMS = MetricInfo.gauge("ksm_rmap_items", "items", "KSM: rmap items, one per page ksmd has visited and found present.");
  static final MetricInfo COW_KSM = MetricInfo.counter("cow_ksm", "pages", "KSM: copies of KSM pages on write, host-wide (/proc/vmstat `cow_ksm`).");

  // Per host, both scanners.

  // Per host, ESX.

  // Per host, KSM (the kernel's names).

  static final List<MetricInfo> ALL = List.of(
      SCANNED,
      MERGED,
      ZERO_MERGED,
      COW_BREAKS,
      COW_OVERWRITES,
      COW_REUSED,
      ZERO_BREAKS,
      RELEASED,
      HANDED_OVER,
      HASHES,
      COMPARES,
      TREE_STEPS,
      OVERHEAD,
      TABLE_SHARED,
      TABLE_HINTS,
      TABLE_OVERFLOW,
      HINT_MATCHES,
      HINTS_STALE,
      COLLISIONS,
      PAGES_SHARED,
      PAGES_SHARING,
      PAGES_UNSHARED,
      PAGES_VOLATILE,
      FULL_SCANS,
      STABLE_NODE_CHAINS,
      STABLE_NODE_DUPS,
      GENERAL_PROFIT,
      KSM_ZERO_PAGES,
      RMAP_ITEMS,
      COW_KSM);
}
