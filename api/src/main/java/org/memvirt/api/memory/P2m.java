package org.memvirt.api.memory;

/**
 * One VM's physical-to-machine map (ESX's "pmap", Xen's p2m, under nested paging the EPT),
 * entries encoded by {@link P2mEntry}.
 */
public interface P2m {
  /** Number of guest physical pages (the VM's configured memory). */
  long pages();

  /** The entry of guest physical page {@code gppn}. */
  long get(long gppn);

  /**
   * Replaces the entry of {@code gppn} and invalidates every cached translation that
   * depended on it (TLBs, nested TLBs, shadow entries). The caller owns the frames: it
   * changes them first ({@link HostMemory}) and frees or shares the old one itself. A
   * technique may change only entries it holds or owner-0 entries, and may write only its
   * own owner id or 0; a {@code MAPPED} entry must name a frame private to this page, a
   * {@code SHARED} one a shared or held frame. Anything else is a frame-table violation.
   */
  void set(long gppn, long entry);

  /** Sets the accessed bit, as a hardware walk of the nested entry does. No invalidation. */
  void markAccessed(long gppn);

  /**
   * Clears the accessed bit and invalidates cached translations of {@code gppn}, so that
   * the next access walks the nested entry again and sets the bit (used to sample activity).
   */
  void clearAccessed(long gppn);
}
