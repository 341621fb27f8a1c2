package org.memvirt.engine.guest;

import org.memvirt.api.reclaim.FaultCause;

/**
 * What the guest kernel needs from the (virtual) machine it runs on. Each page-level
 * operation says why it touches the page, so that a technique holding the page hears the
 * cause (double paging, whole-page overwrites).
 */
public interface GuestHardware {
  /** Reads a guest physical page's content token (taking any nested fault on the way). */
  long readPhysical(long gppn, FaultCause cause);

  /** Writes a whole guest physical page (taking any nested fault on the way). */
  void writePhysical(long gppn, long token, FaultCause cause);

  /**
   * The guest writes entry {@code index} of its page-table page {@code tableGppn} (the value
   * itself lives in the kernel's table store): a memory write that may fault or trap.
   */
  void writeTableEntry(long tableGppn, int index);

  /** TLB shootdown: invalidate {@code gva} of {@code process} wherever it may be cached. */
  void invalidatePage(GuestProcess process, long gva);
}
