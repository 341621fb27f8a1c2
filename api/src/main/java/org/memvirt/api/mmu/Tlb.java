package org.memvirt.api.mmu;

/**
 * A vCPU's TLB hierarchy: split L1 (instruction and data) and a unified L2, set-associative
 * with true LRU. An L1 miss looks up the L2; an L2 hit fills the L1; {@link #fill} fills
 * both. Entries are keyed by virtual page number; the value is the MMU's own encoding.
 * The hierarchy counts its own hits and misses.
 */
public interface Tlb {
  /** Returned by {@link #lookup} on a miss in every level. */
  long MISS = -1;

  /** Looks up {@code vpn} for an access of {@code kind}; the value, or {@link #MISS}. */
  long lookup(long vpn, int kind);

  /** Installs a translation after a walk, in the L2 and in the L1 of {@code kind}. */
  void fill(long vpn, long value, int kind);

  /** Drops any entry for {@code vpn}. */
  void invalidate(long vpn);

  /** Drops everything. */
  void flush();
}
