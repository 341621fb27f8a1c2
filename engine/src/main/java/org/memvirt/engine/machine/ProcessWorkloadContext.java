package org.memvirt.engine.machine;

import org.memvirt.api.Clock;
import org.memvirt.api.Metrics;
import org.memvirt.api.Settings;
import org.memvirt.api.workload.WorkloadContext;

/** What one process's workload is given: its clock is the vCPU it runs on, its metrics the VM's. */
record ProcessWorkloadContext(Settings settings, long seed, String vmName, int processIndex, long vmMemoryBytes,
    long vmSwapBytes, Clock clock, Metrics metrics) implements WorkloadContext {}
