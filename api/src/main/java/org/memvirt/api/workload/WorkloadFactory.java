package org.memvirt.api.workload;

/** Makes the access stream of one guest process ({@code workload.type}). */
public interface WorkloadFactory {
  /** The name an experiment selects this workload by ({@code workload.type}). */
  String name();

  /** A one-line description for {@code memvirt plugins}. */
  default String description() {
    return "";
  }

  /** Reads the workload's keys from {@link WorkloadContext#settings()}. */
  Workload create(WorkloadContext context);
}
