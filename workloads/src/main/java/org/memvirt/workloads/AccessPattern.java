package org.memvirt.workloads;

/** Where a workload's next data access falls: a byte offset into its footprint. */
interface AccessPattern {
  /** Returned by {@link #next()} when the pattern has finished. */
  long DONE = -1;

  /** The next offset in [0, footprint), or {@link #DONE}. */
  long next();
}
