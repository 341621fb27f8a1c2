package org.memvirt.api.mmu;

/**
 * The guest's x86-64 radix page tables, each table a guest physical page of 512 entries
 * (bits as in {@link Pte}). Reading through this view is what hardware (or a hypervisor in
 * software) does; it does not count references: the caller counts what it models.
 */
public interface GuestPageTables {
  /** Levels of the guest's tables: 4, or 5 with LA57. */
  int levels();

  /** Entry {@code index} of the table stored in guest physical page {@code tableGppn}. */
  long read(long tableGppn, int index);

  /** ORs {@code bits} (accessed, dirty) into an entry, as a hardware walk does. */
  void setBits(long tableGppn, int index, long bits);
}
