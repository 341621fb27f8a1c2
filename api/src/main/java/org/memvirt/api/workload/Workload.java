package org.memvirt.api.workload;

/** A stream of accesses, produced in batches so the hot path stays on primitive arrays. */
public interface Workload {
  /**
   * Fills {@code batch} from index 0 with up to {@link AccessBatch#capacity()} accesses and
   * returns how many; 0 when the workload has finished.
   */
  int next(AccessBatch batch);

  /**
   * Releases what the workload holds (an open trace file, say). The engine calls it when
   * the process exits or the run ends; {@link #next} is not called afterwards.
   */
  default void close() {}
}
