package org.memvirt.api.mmu;

/** The translation hardware of one vCPU, as one technique drives it. */
public interface VcpuMmu {
  /** Returned by {@link #translate} when the guest must handle a page fault. */
  long GUEST_FAULT = -1;

  /**
   * Translates guest virtual address {@code gva} for an access of {@code kind} (see
   * {@link org.memvirt.api.AccessKind}) and returns the host physical address, or
   * {@link #GUEST_FAULT} when the guest page tables do not map it. Nested faults are
   * resolved inside ({@link MmuContext#resolveNestedFault}). Counts TLB and walk events.
   *
   * <p>Count {@code walks}, {@code walk_refs} (with their split {@code walk_refs_guest} and
   * {@code walk_refs_nested}), and {@code native_walk_refs}: for each completed walk, the
   * references the same walk makes natively.
   */
  long translate(long gva, int kind);

  /**
   * Translates again after the guest handled a page fault for this access: the same as
   * {@link #translate}, but a re-executed access, whose TLB misses are not counted twice.
   */
  default long retranslate(long gva, int kind) {
    return translate(gva, kind);
  }

  /** The guest loads CR3 with the root table at guest physical page {@code rootGppn}. */
  void loadCr3(long rootGppn);

  /** The guest invalidates one page's translation in the current address space ({@code invlpg}). */
  void invalidatePage(long gva);

  /**
   * The guest invalidates one page of the address space rooted at {@code rootGppn}, which
   * may not be the one running ({@code invpcid}); needed once TLBs are tagged. The default
   * flushes everything, which is always safe.
   */
  default void invalidatePage(long rootGppn, long gva) {
    flushTlb();
  }

  /**
   * The address space rooted at {@code rootGppn} is gone (its process exited): drop
   * whatever is cached for it. The default flushes everything, which is always safe.
   */
  default void invalidateAddressSpace(long rootGppn) {
    flushTlb();
  }

  /** The guest flushes the whole TLB. */
  void flushTlb();
}
