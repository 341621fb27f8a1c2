package org.memvirt.api.workload;

import org.memvirt.api.Settings;

/** What a workload is told about where it runs. */
public interface WorkloadContext {
  /** The {@code workload} section of the process (the engine's keys already taken). */
  Settings settings();

  /** Seed for this process: the run's seed mixed with the VM and process positions. */
  long seed();

  String vmName();

  /** Position of the process in its VM's list (copies counted). */
  int processIndex();

  /** The VM's configured memory in bytes (a footprint may be a fraction of it). */
  long vmMemoryBytes();
}
