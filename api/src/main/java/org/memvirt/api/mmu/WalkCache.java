package org.memvirt.api.mmu;

/**
 * A paging-structure cache of the vCPU: for each level, a small fully associative LRU
 * cache from a key (an address prefix, mixed with a tag where the MMU needs one) to the
 * entry found there, so a walk can skip the references above it. Size 0 means off: every
 * lookup misses. Used for the guest-dimension and nested-dimension walk caches and the
 * nested TLB (one "level", GPA page to host frame). The cache counts its own hits.
 */
public interface WalkCache {
  /** Returned by {@link #lookup} on a miss. */
  long MISS = -1;

  /** Entries per level (0: the cache is off). */
  int entriesPerLevel();

  /** The value cached for {@code key} at {@code level}, or {@link #MISS}. */
  long lookup(int level, long key);

  /** Caches {@code value} for {@code key} at {@code level}, evicting that level's LRU entry. */
  void fill(int level, long key, long value);

  /** Drops everything. */
  void flush();
}
