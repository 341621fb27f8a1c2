package org.memvirt.engine.sim;

import org.memvirt.api.Settings;
import org.memvirt.api.workload.WorkloadContext;

/** What one process's workload is given. */
record ProcessWorkloadContext(Settings settings, long seed, String vmName, int processIndex, long vmMemoryBytes)
    implements WorkloadContext {}
