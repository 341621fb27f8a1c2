package org.memvirt.api.reclaim;

/**
 * The hooks a cooperating driver inside the guest (a balloon driver) has into the guest OS.
 */
public interface GuestOs {
  /** Guest physical pages the guest OS has in use (data and page tables). */
  long usedPages();

  /** Guest physical pages pinned by drivers. */
  long pinnedPages();

  /**
   * Asks the guest to allocate and pin one page, as a balloon driver does: the guest's own
   * allocator and replacement decide which (it may swap another page out to find one).
   * Returns the guest physical page, or -1 when the guest cannot give one.
   */
  long pinPage();

  /** Returns a pinned page to the guest's free pool. */
  void unpinPage(long gppn);
}
