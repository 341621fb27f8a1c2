package org.memvirt.engine.machine;

import org.memvirt.api.Metrics;
import org.memvirt.api.mmu.Tlb;
import org.memvirt.api.mmu.VcpuContext;
import org.memvirt.api.mmu.WalkCache;

/** What one vCPU's translation unit is given. */
public record VcpuMmuContext(int index, Tlb tlb, Metrics metrics, WalkCache walkCache, WalkCache nestedWalkCache,
    WalkCache nestedTlb) implements VcpuContext {}
