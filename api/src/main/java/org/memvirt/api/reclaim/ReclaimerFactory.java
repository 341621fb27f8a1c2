package org.memvirt.api.reclaim;

import java.util.List;
import org.memvirt.api.MetricInfo;
import org.memvirt.api.mmu.CostEntry;

/** Makes the reclaimer of one run for one technique (named under {@code reclaim:}). */
public interface ReclaimerFactory {
  /** The name an experiment selects this technique by, e.g. {@code balloon}. */
  String name();

  /** A one-line description for {@code memvirt plugins}. */
  default String description() {
    return "";
  }

  /**
   * Costs of this technique's own events (a swap-in from disk, compressing a page, a COW
   * copy), added to the cost model and overridable under {@code costs:} by key.
   */
  default List<CostEntry> costs() {
    return List.of();
  }

  /**
   * The keys of this technique's section, documented with their defaults (see
   * {@link org.memvirt.api.SettingInfo}), in the order the reference shows them.
   */
  default java.util.List<org.memvirt.api.SettingInfo> settings() {
    return java.util.List.of();
  }

  /**
   * The keys this technique reads in each VM's section ({@code vms[i]}), documented: a
   * driver's presence, a per-VM salt.
   */
  default java.util.List<org.memvirt.api.SettingInfo> vmSettings() {
    return java.util.List.of();
  }

  /** The metrics this technique reports, documented. */
  default List<MetricInfo> metrics() {
    return List.of();
  }

  Reclaimer create(ReclaimContext context);
}
