package org.memvirt.api.reclaim;

import java.util.List;
import org.memvirt.api.Clock;
import org.memvirt.api.Metrics;
import org.memvirt.api.Settings;
import org.memvirt.api.memory.HostMemory;

/** What a reclamation technique may see and change. */
public interface ReclaimContext {
  /** This technique's section of the experiment ({@code reclaim.NAME}). */
  Settings settings();

  HostMemory host();

  /** Every VM, in experiment order. */
  List<VmMemory> vms();

  Clock clock();

  /** The run's seed mixed with the technique's name: use it for any randomness. */
  long seed();

  /** The host's counters. */
  Metrics hostMetrics();

  /** The id to write into the owner field of P2M entries this technique holds. */
  int ownerId();
}
