package org.memvirt.api.memory;

/**
 * Host free-memory states, from most to least free memory. Each reclamation technique acts
 * from one state down. Thresholds default to ESX's (Waldspurger, OSDI 2002): high 6%,
 * soft 4%, hard 2%, low 1% of host memory free; going back up needs the higher threshold.
 */
public enum HostMemoryState {
  /** Enough free memory: no reclamation. */
  HIGH,
  /** Free memory below the high threshold: balloon (swap if the balloon cannot). */
  SOFT,
  /** Below the soft threshold: swap. */
  HARD,
  /** Below the hard threshold: swap, and block VMs above their target. */
  LOW;

  /** Whether this state is at least as tight as {@code other}. */
  public boolean atOrBelow(HostMemoryState other) {
    return ordinal() >= other.ordinal();
  }
}
