package org.memvirt.engine.machine;

import java.util.List;
import org.memvirt.api.Clock;
import org.memvirt.api.Metrics;
import org.memvirt.api.Settings;
import org.memvirt.api.memory.HostMemory;
import org.memvirt.api.reclaim.ReclaimContext;
import org.memvirt.api.reclaim.VmMemory;

/** What a reclamation technique is given. */
record RunReclaimContext(Settings settings, HostMemory host, List<VmMemory> vms, Clock clock, long seed,
    Metrics hostMetrics, int ownerId) implements ReclaimContext {}
