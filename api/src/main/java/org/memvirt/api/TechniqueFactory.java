package org.memvirt.api;

import java.util.List;
import org.memvirt.api.mmu.CostEntry;

/**
 * What every factory of a technique says of itself, whatever it makes (an MMU, a reclaimer,
 * a policy, a workload): the name an experiment selects it by, and what {@code memvirt
 * plugins}, the experiment reference, the cost model and the metric catalog list of it.
 */
public interface TechniqueFactory {
  /** The name an experiment selects this technique by: {@code mmu.type}, a key under {@code reclaim:}, {@code policy.type}, {@code workload.type}. */
  String name();

  /** A one-line description for {@code memvirt plugins}. */
  default String description() {
    return "";
  }

  /**
   * Costs of this technique's own events (a swap-in from disk, compressing a page, a COW
   * copy, sampling a page), added to the cost model and overridable under {@code costs:} by
   * key.
   */
  default List<CostEntry> costs() {
    return List.of();
  }

  /**
   * The keys of this technique's section, documented with their defaults (see
   * {@link SettingInfo}), in the order the reference shows them.
   */
  default List<SettingInfo> settings() {
    return List.of();
  }

  /** The metrics this technique reports, documented. */
  default List<MetricInfo> metrics() {
    return List.of();
  }
}
