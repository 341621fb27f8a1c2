package org.memvirt.api.policy;

/** Makes the allocation policy of one run ({@code policy.type}). */
public interface AllocationPolicyFactory {
  /** The name an experiment selects this policy by ({@code policy.type}). */
  String name();

  /** A one-line description for {@code memvirt plugins}. */
  default String description() {
    return "";
  }

  /** Costs of the policy's own events (sampling a page, ...), overridable under {@code costs:}. */
  default java.util.List<org.memvirt.api.mmu.CostEntry> costs() {
    return java.util.List.of();
  }

  /**
   * The keys of this technique's section, documented with their defaults (see
   * {@link org.memvirt.api.SettingInfo}), in the order the reference shows them.
   */
  default java.util.List<org.memvirt.api.SettingInfo> settings() {
    return java.util.List.of();
  }

  /** The metrics this policy reports, documented. */
  default java.util.List<org.memvirt.api.MetricInfo> metrics() {
    return java.util.List.of();
  }

  /** The policy of one run. */
  AllocationPolicy create(PolicyContext context);
}
