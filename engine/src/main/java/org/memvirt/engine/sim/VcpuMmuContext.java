package org.memvirt.engine.sim;

import org.memvirt.api.Metrics;
import org.memvirt.api.mmu.Tlb;
import org.memvirt.api.mmu.VcpuContext;
import org.memvirt.api.mmu.WalkCache;

/** What one vCPU's translation unit is given. */
record VcpuMmuContext(int index, Tlb tlb, Metrics metrics, WalkCache walkCache, WalkCache nestedWalkCache,
    WalkCache nestedTlb) implements VcpuContext {}
