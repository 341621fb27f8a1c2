package org.memvirt.api.reclaim;

/**
 * The hooks a cooperating driver inside the guest (a balloon driver) has into the guest OS.
 */
public interface GuestOs {
  /** Guest physical pages the guest OS has in use (data, page tables, pinned). */
  long usedPages();

  /** Guest physical pages on the guest's free lists. */
  default long freePages() {
    return 0;
  }

  /** Guest physical pages pinned by drivers. */
  long pinnedPages();

  /**
   * Asks the guest to allocate and pin one page, as a balloon driver does: the guest's own
   * allocator and replacement decide which (it may swap another page out to find one).
   * Returns the guest physical page, or -1 when the guest cannot give one (nothing free
   * and nothing it can swap out, or its swap device full): a refusal, not an error.
   */
  long pinPage();

  /**
   * Like {@link #pinPage} but from the guest's free pages only, never by swapping (Linux's
   * {@code __GFP_NOWARN | __GFP_NORETRY} without reclaim, what vmw_balloon tries first);
   * -1 when none is free.
   */
  default long pinFreePage() {
    return freePages() > 0 ? pinPage() : -1;
  }

  /** Whether guest page {@code gppn} is on the guest's free lists now (for free page reporting). */
  default boolean isFree(long gppn) {
    return false;
  }

  /** Returns a pinned page to the guest's free pool. */
  void unpinPage(long gppn);

  /** Registers a driver to hear of the guest's memory pressure and freed pages. */
  default void addListener(GuestMemoryListener listener) {
    throw new UnsupportedOperationException("this guest does not notify drivers");
  }
}
