package org.memvirt.api.mmu;

/**
 * The translation technique of one vCPU. The vCPU owns the hardware of an access: it looks
 * its TLB up, and only on a miss calls {@link #walk}; it fills the TLB with the walk's
 * result, and after a fault (the guest's or a violation) re-executes the access. The
 * technique walks and keeps its own structures coherent when the guest loads CR3 or
 * invalidates.
 */
public interface VcpuMmu {
  /**
   * Walks for a TLB miss on guest virtual address {@code gva}, for an access of
   * {@code kind} (see {@link org.memvirt.api.AccessKind}): a {@link TlbEntry} for the page,
   * or a negative {@link WalkResult}. A write may be served only by an entry that allows
   * writes ({@link TlbEntry#serves}); an entry that does not is still filled, and the write
   * walks again next time.
   *
   * <p>Count {@code walk_refs} (with their split {@code walk_refs_guest} and
   * {@code walk_refs_nested}), {@code walk_refs_saved}, {@code native_walk_refs} (for each
   * completed walk, the references the same walk makes natively) and the exits taken. The
   * vCPU counts {@code walks}, {@code retries} and the TLB's hits and misses.
   */
  long walk(long gva, int kind);

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
