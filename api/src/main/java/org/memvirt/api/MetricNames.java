package org.memvirt.api;

/**
 * Stable metric names. Where a real system has a name for the quantity (KVM, KSM,
 * virtio-balloon, ESX), memvirt uses it, so results map onto production telemetry.
 */
public final class MetricNames {
  private MetricNames() {}

  /** Memory accesses the workloads issued (each page an access touches counts once). */
  public static final String ACCESSES = "accesses";
  /** L1 instruction-TLB misses. */
  public static final String TLB_L1I_MISSES = "tlb_l1i_misses";
  /** L1 data-TLB misses. */
  public static final String TLB_L1D_MISSES = "tlb_l1d_misses";
  /** Lookups that missed the L1 and hit the unified L2 TLB. */
  public static final String TLB_L2_HITS = "tlb_l2_hits";
  /** Unified L2 TLB misses: each starts a page walk. */
  public static final String TLB_L2_MISSES = "tlb_l2_misses";
  /** Whole-TLB flushes (context switches without tags, INVEPT, ...); KVM's {@code tlb_flush}. */
  public static final String TLB_FLUSH = "tlb_flush";
  /** Hardware page walks started. */
  public static final String WALKS = "walks";
  /** Memory references made by page walks, both dimensions. */
  public static final String WALK_REFS = "walk_refs";
  /** Walk references that read a guest page-table entry. */
  public static final String WALK_REFS_GUEST = "walk_refs_guest";
  /** Walk references that read a nested (EPT) entry. */
  public static final String WALK_REFS_NESTED = "walk_refs_nested";
  /** The references the same walks would make natively (one-dimensional). */
  public static final String NATIVE_WALK_REFS = "native_walk_refs";
  /** Page faults delivered to the guest OS; KVM's {@code pf_guest}. */
  public static final String PF_GUEST = "pf_guest";
  /** Nested faults: a guest physical page with no usable host backing. */
  public static final String EPT_VIOLATIONS = "ept_violations";
  /** VM exits of every reason. */
  public static final String EXITS = "exits";
  /** Pages the guest OS wrote to its swap device. */
  public static final String GUEST_SWAP_OUTS = "guest_swap_outs";
  /** Pages the guest OS read back from its swap device. */
  public static final String GUEST_SWAP_INS = "guest_swap_ins";
  /** Host frames zeroed before being handed to a VM. */
  public static final String FRAMES_ZEROED = "frames_zeroed";
  /** Guest processes that exited (a {@code lifetime} ran out). */
  public static final String PROCESS_EXITS = "process_exits";
  /** Walk references that the walk caches and the nested TLB saved. */
  public static final String WALK_REFS_SAVED = "walk_refs_saved";
  /** Guest context switches (CR3 loads). */
  public static final String CONTEXT_SWITCHES = "context_switches";
  /** Simulated cycles under virtualization (see the cost model). */
  public static final String CYCLES = "cycles";
  /** Simulated cycles the same accesses would cost natively. */
  public static final String NATIVE_CYCLES = "native_cycles";
  /** Simulated time a VM ran (its workloads may finish before the experiment's duration). */
  public static final String SIMULATED_NS = "simulated_ns";
  /** {@code cycles / native_cycles}. */
  public static final String SLOWDOWN = "slowdown";
  /** Host frames backing this VM now; ESX's {@code consumed}. */
  public static final String CONSUMED = "consumed";
  /** Guest physical pages the guest OS has in use now. */
  public static final String GUEST_USED = "guest_used";
  /** Pages in the guest's swap device now. */
  public static final String GUEST_SWAPPED = "guest_swapped";
  /** Host frames the allocation policy wants this VM to have; ESX's {@code SZTGT}. */
  public static final String TARGET = "SZTGT";
}
