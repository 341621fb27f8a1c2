package org.memvirt.mmu.shadow;

import java.util.ArrayList;
import java.util.List;

/**
 * The VM's cache of shadow roots, most recently used first (KVM keeps a few per vCPU, and
 * finds a root again by its guest CR3): at most {@code root_cache} of them idle, that no
 * vCPU runs.
 */
final class ShadowRoots {
  private final List<Integer> roots = new ArrayList<>();
  private final int cacheSize;

  ShadowRoots(int cacheSize) {
    this.cacheSize = cacheSize;
  }

  /** The root shadow page of guest root {@code cr3}, moved to the front, or {@link ShadowPages#NONE}. */
  int find(long cr3, ShadowPages pages) {
    for (int i = 0; i < roots.size(); i++) {
      int sp = roots.get(i);
      if (pages.guestTable[sp] == cr3) {
        roots.remove(i);
        roots.add(0, sp);
        return sp;
      }
    }
    return ShadowPages.NONE;
  }

  /** The root of {@code cr3} without using it (invpcid of another address space), or {@link ShadowPages#NONE}. */
  int peek(long cr3, ShadowPages pages) {
    for (int sp : roots) {
      if (pages.guestTable[sp] == cr3) {
        return sp;
      }
    }
    return ShadowPages.NONE;
  }

  /** A new root, first. */
  void add(int sp) {
    roots.add(0, sp);
  }

  /** {@code sp} is no root any more (it was zapped). */
  void remove(int sp) {
    roots.remove(Integer.valueOf(sp));
  }

  boolean isEmpty() {
    return roots.isEmpty();
  }

  int first() {
    return roots.get(0);
  }

  /** The roots past the cache's size of idle ones (idle: no vCPU runs them), in cache order. */
  List<Integer> beyondCache(java.util.function.IntPredicate inUse) {
    List<Integer> evict = new ArrayList<>();
    int idle = 0;
    for (int sp : roots) {
      if (!inUse.test(sp) && ++idle > cacheSize) {
        evict.add(sp);
      }
    }
    return evict;
  }
}
