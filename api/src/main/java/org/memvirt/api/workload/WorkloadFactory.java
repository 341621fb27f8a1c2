package org.memvirt.api.workload;

/** Makes the access stream of one guest process ({@code workload.type}). */
public interface WorkloadFactory {
  /** The name an experiment selects this workload by ({@code workload.type}). */
  String name();

  /** A one-line description for {@code memvirt plugins}. */
  default String description() {
    return "";
  }

  /** Costs of the workload's own events, overridable under {@code costs:}. */
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

  /** The metrics this workload reports, documented. */
  default java.util.List<org.memvirt.api.MetricInfo> metrics() {
    return java.util.List.of();
  }

  /**
   * The most guest memory, in bytes, one process of this workload touches at once with
   * {@code settings} (its data and its code), or -1 when the factory cannot tell. The engine
   * sizes its heap estimate by it: memory a VM never touches costs next to nothing, so a
   * VM whose processes touch little is estimated at what they touch, not at its size. The
   * default cannot tell. Return -1 rather than fail on bad settings: {@link #create} says
   * what is wrong with them.
   */
  default long footprintBytes(org.memvirt.api.Settings settings) {
    return -1;
  }

  /** Reads the workload's keys from {@link WorkloadContext#settings()}. */
  Workload create(WorkloadContext context);
}
