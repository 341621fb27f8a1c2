package org.memvirt.reclaim.sharing;

import org.memvirt.api.reclaim.VmMemory;

/**
 * How pages with equal content are found: ESX's hash table with hints, or KSM's trees.
 * The scanner decides what to merge; {@link SharedMappings} changes frames and entries.
 */
interface Scanner {
  /** How often {@link #tick} runs. */
  long periodNanos();

  /** One wake-up: examine the pages this period's rate allows and merge what matches. */
  void tick(long nowNanos);

  /**
   * Page {@code gppn} of {@code vm} stopped mapping {@code frame} (a write broke sharing,
   * another technique took the page): {@code sharersLeft} still map it, 0 when the frame is
   * gone (freed, or private to the last sharer). {@code token} is the frame's content.
   */
  void left(VmMemory vm, long gppn, long frame, long token, long sharersLeft);

  /** Whether {@code frame}, which a page of {@code vm} maps, is a shared frame this scanner made and knows. */
  boolean knows(VmMemory vm, long frame);

  /** Updates the host gauges to the scanner's state now. */
  void publish();
}
