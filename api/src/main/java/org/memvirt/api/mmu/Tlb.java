package org.memvirt.api.mmu;

/**
 * A vCPU's TLB hierarchy, as a translation technique keeps it coherent: split L1
 * (instruction and data) and a unified L2, set-associative with true LRU, 4 KiB and 2 MiB
 * entries. The vCPU looks it up and fills it ({@link VcpuMmu#walk}'s results); a technique
 * switches its tag and invalidates.
 *
 * <p>Tags model PCID/VPID: the technique calls {@link #switchTo} with a tag per address
 * space (the guest's CR3, for instance). With tagging on ({@code mmu.tlb.tagged}) entries
 * of other tags stay and simply do not match; with it off, a switch to another tag flushes.
 */
public interface Tlb {
  /** Drops any entry for {@code vpn} (4 KiB, or the 2 MiB one covering it) of the current tag. */
  void invalidate(long vpn);

  /** Makes {@code tag} the current address space (flushing first when tagging is off). */
  default void switchTo(long tag) {
    flush();
  }

  /** Drops any entry for {@code vpn} of address space {@code tag}. */
  default void invalidate(long tag, long vpn) {
    flush();
  }

  /** Drops every entry of address space {@code tag}. */
  default void flush(long tag) {
    flush();
  }

  /** Whether entries survive a switch of tags (PCID/VPID on). */
  default boolean tagged() {
    return false;
  }

  /** Drops everything. */
  void flush();
}
