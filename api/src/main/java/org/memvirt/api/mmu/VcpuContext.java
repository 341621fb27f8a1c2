package org.memvirt.api.mmu;

import org.memvirt.api.Metrics;

/** What the translation unit of one vCPU may see. */
public interface VcpuContext {
  /** Index of the vCPU within its VM. */
  int index();

  /** The vCPU's TLB hierarchy. */
  Tlb tlb();

  /** The vCPU's counters. */
  Metrics metrics();
}
