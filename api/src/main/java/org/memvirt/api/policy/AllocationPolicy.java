package org.memvirt.api.policy;

/**
 * Decides each VM's target allocation ({@link org.memvirt.api.reclaim.VmMemory#setTargetPages})
 * from shares, reservations, limits and activity. Reclamation then moves VMs toward their
 * targets. Targets must respect every VM's min and max.
 */
public interface AllocationPolicy {
  /** How often {@link #allocate} runs, in simulated nanoseconds (ESX: 15 s). */
  long periodNanos();

  /** Recomputes every VM's target. */
  void allocate(long nowNanos);

  /**
   * Optional finer-grained work between allocations (activity sampling); every
   * {@link #samplePeriodNanos()}.
   */
  default void sample(long nowNanos) {}

  /** 0 for no sampling. */
  default long samplePeriodNanos() {
    return 0;
  }
}
