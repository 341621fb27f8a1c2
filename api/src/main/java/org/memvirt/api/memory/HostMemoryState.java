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

  /**
   * ESX's threshold of this state, as a fraction of host memory (Waldspurger, "Memory
   * Resource Management in VMware ESX Server", OSDI 2002, section 6): the one home of the
   * defaults that the engine, the api's {@link HostMemory#thresholdFrames} and the testkit
   * use.
   */
  public double esxFraction() {
    return switch (this) {
      case HIGH -> 0.06;
      case SOFT -> 0.04;
      case HARD -> 0.02;
      case LOW -> 0.01;
    };
  }

  /** Whether this state is at least as tight as {@code other}. */
  public boolean atOrBelow(HostMemoryState other) {
    return ordinal() >= other.ordinal();
  }
}
