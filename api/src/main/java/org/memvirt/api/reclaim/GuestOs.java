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

  /** Returns a pinned page to the guest's free pool. */
  void unpinPage(long gppn);

  /** Registers a driver to hear of the guest's memory pressure and freed pages. */
  default void addListener(GuestMemoryListener listener) {
    throw new UnsupportedOperationException("this guest does not notify drivers");
  }
}
