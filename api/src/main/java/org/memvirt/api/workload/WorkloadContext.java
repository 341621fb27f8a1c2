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

  /**
   * The VM's guest swap device in bytes: with {@link #vmMemoryBytes} the most a process can
   * have touched at once. The default, for contexts without a guest, is none.
   */
  default long vmSwapBytes() {
    return 0;
  }

  /**
   * The process's own clock, as it would read a time stamp counter: its vCPU's simulated
   * time in nanoseconds, stalls included. Read in {@link Workload#next}, it tells how long
   * the previous batch took; a workload that issues one access per batch times each access
   * (what a timing side channel observes). The default, for contexts without a vCPU, is 0.
   */
  default org.memvirt.api.Clock clock() {
    return () -> 0;
  }

  /**
   * The VM's counters, for a workload that reports what it measured (document them in its
   * factory's {@code metrics()}). The default, for contexts without a VM, keeps them apart.
   */
  default org.memvirt.api.Metrics metrics() {
    java.util.Map<String, org.memvirt.api.Counter> own = new java.util.HashMap<>();
    return name -> own.computeIfAbsent(name, org.memvirt.api.Counter::new);
  }
}
