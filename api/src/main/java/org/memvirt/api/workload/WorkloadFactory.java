package org.memvirt.api.workload;

/** Makes the access stream of one guest process ({@code workload.type}). */
public interface WorkloadFactory {
  String name();

  default String description() {
    return "";
  }

  /** Reads the workload's keys from {@link WorkloadContext#settings()}. */
  Workload create(WorkloadContext context);
}
