package org.memvirt.api.mmu;

/**
 * A vCPU's TLB hierarchy: split L1 (instruction and data) and a unified L2, set-associative
 * with true LRU. An L1 miss looks up the L2; an L2 hit fills the L1; {@link #fill} fills
 * both. Entries are keyed by virtual page number and an address-space tag; the value is
 * the MMU's own encoding. The hierarchy counts its own hits and misses.
 *
 * <p>Tags model PCID/VPID: the MMU calls {@link #switchTo} with a tag per address space
 * (the guest's CR3, for instance). With tagging on ({@code mmu.tlb.tagged}) entries of
 * other tags stay and simply do not match; with it off, a switch to another tag flushes.
 */
public interface Tlb {
  /** Returned by {@link #lookup} on a miss in every level. */
  long MISS = -1;

  /** Looks up {@code vpn} for an access of {@code kind}; the value, or {@link #MISS}. */
  long lookup(long vpn, int kind);

  /**
   * The lookup of an access re-executed after a fault was resolved: the same search, but
   * its misses are not counted again, so that misses never exceed accesses. The default
   * is {@link #lookup}.
   */
  default long relookup(long vpn, int kind) {
    return lookup(vpn, kind);
  }

  /** Installs a translation after a walk, in the L2 and in the L1 of {@code kind}. */
  void fill(long vpn, long value, int kind);

  /**
   * Installs a translation of the whole 2 MiB page containing {@code vpn} (in the 2 MiB L1
   * of {@code kind} and in the L2). {@link #lookup} of any page in it then hits; the value
   * is returned as filled, so the MMU encodes in it that it covers a large page. The
   * default fills a 4 KiB entry, which is always correct.
   */
  default void fillLarge(long vpn, long value, int kind) {
    fill(vpn, value, kind);
  }

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
