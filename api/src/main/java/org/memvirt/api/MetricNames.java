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
  /**
   * {@code cycles / native_cycles}. The host's: the VMs' together, {@code Σ cycles / Σ
   * native_cycles}, a mean weighted by the work each VM did.
   */
  public static final String SLOWDOWN = "slowdown";
  /**
   * Cycles the host spends on its own work, stalling no VM: the sharing scanners' hashing and
   * comparing, the techniques' host-level events. Apart from any VM's {@code cycles}.
   */
  public static final String HOST_CYCLES = "host_cycles";
  /** Host frames charged to this VM now (shared frames split among sharers); ESX's {@code consumed}. */
  public static final String CONSUMED = "consumed";
  /** Guest physical pages the guest OS has in use now. */
  public static final String GUEST_USED = "guest_used";
  /** Pages in the guest's swap device now. */
  public static final String GUEST_SWAPPED = "guest_swapped";
  /** Host frames the allocation policy wants this VM to have; ESX's {@code SZTGT}. */
  public static final String TARGET = "SZTGT";

  /** Re-executions of an access after a fault was resolved (their TLB lookups are not counted as misses). */
  public static final String RETRIES = "retries";
  /** Guest pages backed by host memory: private, shared and zero; ESX's {@code granted}. */
  public static final String GRANTED = "granted";
  /** Guest pages mapped to a host frame of their own. */
  public static final String PRIVATE = "private";
  /** Guest pages mapped copy-on-write to a shared (or held) frame; ESX's {@code shared}. */
  public static final String SHARED = "shared";
  /** Guest pages known to be zero: with no frame, or shared with a frame of zeros (the zero page); ESX's {@code zero}. */
  public static final String ZERO = "zero";
  /** Guest pages taken by a balloon; ESX's {@code vmmemctl}. */
  public static final String BALLOONED = "vmmemctl";
  /** Guest pages on a host swap device; ESX's {@code swapped}. */
  public static final String SWAPPED = "swapped";
  /** Guest pages held compressed by the host; ESX's {@code compressed}. */
  public static final String COMPRESSED = "compressed";
  /** Guest pages never touched: no host backing yet. */
  public static final String UNBACKED = "unbacked";
  /** The allocation policy's estimate of the pages the VM uses; ESX's {@code active}. */
  public static final String ACTIVE = "active";
  /** Guest physical pages free in the guest OS. */
  public static final String GUEST_FREE = "guest_free";
  /** Simulated time the VM's work took, stalls included (from the warm-up on). */
  public static final String ELAPSED_NS = "elapsed_ns";
  /** Simulated time the same work takes natively. */
  public static final String NATIVE_ELAPSED_NS = "native_elapsed_ns";
  /** {@code elapsed_ns / native_elapsed_ns}: how much longer the work took. */
  public static final String ELAPSED_SLOWDOWN = "elapsed_slowdown";
  /** Accesses per second of elapsed simulated time: the VM's throughput. */
  public static final String THROUGHPUT = "accesses_per_s";
  /** Simulated time the VM's vCPUs spent blocked in the host's low state. */
  public static final String BLOCKED_NS = "blocked_ns";
  /** Host frames free now. */
  public static final String HOST_FREE = "host_free_frames";
  /** The host's free-memory state now: 0 high, 1 soft, 2 hard, 3 low. */
  public static final String HOST_STATE = "host_state";
  /** Shared frames: each stands for all its sharers. */
  public static final String SHARED_COMMON = "shared_common";
  /** Frames sharing saves: sharers less shared frames. */
  public static final String SHARED_SAVED = "shared_saved";
  /** Shared pages of all VMs over their configured memory, at the end of a run. */
  public static final String SHARED_FRACTION = "shared_fraction";
  /** {@link #SHARED_SAVED} over the VMs' configured memory, at the end of a run. */
  public static final String SAVED_FRACTION = "saved_fraction";
  /** Frames techniques hold for their own use. */
  public static final String HOST_HELD = "host_held";
  /** Guest pages free in the guest that the host still backs with a private frame. */
  public static final String PRIVATE_FREE = "private_free";
  /** Free frames below which the host leaves the high state (and those of soft, hard, low). */
  public static final String HOST_FREE_HIGH = "host_free_high";
  public static final String HOST_FREE_SOFT = "host_free_soft";
  public static final String HOST_FREE_HARD = "host_free_hard";
  public static final String HOST_FREE_LOW = "host_free_low";
  /** The VM's configured memory in pages. ESX's name. */
  public static final String MEMSZ = "MEMSZ";
  /** The VM's {@code min} and {@code max}, in pages. */
  public static final String MIN = "min";
  public static final String MAX = "max";
  /** L2 TLB misses per thousand accesses. */
  public static final String TLB_MPKA = "tlb_mpka";
  /** Memory references per page walk. */
  public static final String REFS_PER_WALK = "refs_per_walk";
  /** VM exits per second of the VM's elapsed time. */
  public static final String EXITS_PER_S = "exits_per_s";
}
