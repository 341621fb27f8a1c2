package org.memvirt.api.reclaim;

import org.memvirt.api.memory.HostMemoryState;

/**
 * One reclamation technique in one run. The engine calls {@link #reclaim} when host free
 * memory is at or below {@link #actsFrom()} for each VM above its target, tightest state
 * first (ESX: balloon from soft, swap from hard); it calls {@link #tick} every
 * {@link #periodNanos()} whatever the state (a sharing scanner, a balloon driver polling its
 * target). A page a technique takes is marked in the P2M with the technique's owner id
 * ({@link ReclaimContext#ownerId()}); a guest access to it comes back as {@link #fault}.
 */
public interface Reclaimer {
  /** The tightest-first state from which {@link #reclaim} is called. */
  HostMemoryState actsFrom();

  /**
   * Frees up to {@code pages} host frames backing {@code vm}. Returns how many it freed
   * (it may free none, e.g. a balloon at its cap).
   */
  long reclaim(VmMemory vm, long pages);

  /**
   * The guest touched {@code gppn}, whose P2M entry this technique holds ({@code entry});
   * make it accessible again (swap it in, break copy-on-write, ...). On return the entry
   * must be {@code MAPPED}, or {@code SHARED} if {@code write} is false.
   */
  void fault(VmMemory vm, long gppn, long entry, boolean write);

  /** How often {@link #tick} runs, in simulated nanoseconds; 0 for never. */
  default long periodNanos() {
    return 0;
  }

  /** Periodic work. */
  default void tick(long nowNanos) {}
}
