package org.memvirt.engine.sim;

import org.memvirt.api.workload.AccessBatch;
import org.memvirt.api.workload.Workload;
import org.memvirt.engine.guest.GuestProcess;

/** A guest process as a vCPU runs it: its workload, its pending batch and its pace. */
final class Task {
  private static final int BATCH = 512;

  final GuestProcess process;
  final Workload workload;
  final AccessBatch batch = new AccessBatch(BATCH);
  final double nanosPerAccess;
  final double sliceNanos;
  int cursor;
  int filled;
  long remaining;

  Task(GuestProcess process, Workload workload, double accessesPerSecond, double switchesPerSecond, long limit) {
    this.process = process;
    this.workload = workload;
    this.nanosPerAccess = 1e9 / accessesPerSecond;
    this.sliceNanos = 1e9 / switchesPerSecond;
    this.remaining = limit;
  }

  /** Fetches the next batch; false when the workload (or its access limit) has finished. */
  boolean refill() {
    if (remaining <= 0) {
      return false;
    }
    int n = workload.next(batch);
    if (n <= 0) {
      remaining = 0;
      return false;
    }
    if (n > remaining) {
      n = (int) remaining;
    }
    remaining -= n;
    cursor = 0;
    filled = n;
    return true;
  }
}
