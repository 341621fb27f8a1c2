package org.memvirt.mmu.shadow;

/** Metric names of shadow paging, KVM's where it has one (kvm_stat, mmu.rst). */
final class ShadowMetrics {
  private ShadowMetrics() {}

  /** Exits for guest CR3 loads. */
  static final String EXITS_CR3 = "exits_cr3";
  /** Exits for writes to write-protected guest page tables. */
  static final String EXITS_PTE_WRITE = "exits_pte_write";
  /** Exits for shadow misses (hidden page faults the guest never sees). */
  static final String EXITS_HIDDEN_FAULT = "exits_hidden_fault";
  /** Exits for guest invlpg / invpcid. */
  static final String EXITS_INVLPG = "exits_invlpg";
  /** Guest page-table writes the hypervisor emulated. */
  static final String MMU_PTE_WRITE = "mmu_pte_write";
  /** Shadow pages dropped. */
  static final String MMU_SHADOW_ZAPPED = "mmu_shadow_zapped";
  /** Leaf shadow pages let go out of sync. */
  static final String MMU_UNSYNC = "mmu_unsync";
  /** Shadow pages dropped because their guest table was written too often. */
  static final String MMU_FLOODED = "mmu_flooded";
  /** Shadow pages that exist now. */
  static final String SHADOW_PAGES = "shadow_pages";
  /** Shadow roots built from scratch on a CR3 load. */
  static final String SHADOW_ROOTS_REBUILT = "shadow_roots_rebuilt";
}
