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

  /** The cache of guest (or, under shadow paging, shadow) upper-level entries. */
  WalkCache walkCache();

  /** The cache of nested-table upper-level entries (nested paging). */
  WalkCache nestedWalkCache();

  /** The nested TLB: guest physical page to host frame (nested paging). */
  WalkCache nestedTlb();
}
