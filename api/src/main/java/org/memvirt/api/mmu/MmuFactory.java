package org.memvirt.api.mmu;

/** Makes the MMU of each VM for one translation technique ({@code mmu.type}). */
public interface MmuFactory {
  /** The name an experiment selects this technique by, e.g. {@code ept}. */
  String name();

  /** A one-line description for {@code memvirt plugins}. */
  default String description() {
    return "";
  }

  /** Costs of this technique's own events, added to the cost model. */
  default java.util.List<CostEntry> costs() {
    return java.util.List.of();
  }

  /**
   * The keys of this technique's section, documented with their defaults (see
   * {@link org.memvirt.api.SettingInfo}), in the order the reference shows them.
   */
  default java.util.List<org.memvirt.api.SettingInfo> settings() {
    return java.util.List.of();
  }

  /** The metrics this technique reports, documented. */
  default java.util.List<org.memvirt.api.MetricInfo> metrics() {
    return java.util.List.of();
  }

  /** The MMU of one VM. Reads its settings from {@link MmuContext#settings()}. */
  Mmu create(MmuContext context);
}
