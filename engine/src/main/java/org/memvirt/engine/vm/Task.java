package org.memvirt.engine.vm;

import org.memvirt.api.workload.AccessBatch;
import org.memvirt.api.workload.Workload;
import org.memvirt.engine.guest.GuestProcess;

/**
 * A guest process as a vCPU runs it: its workload, its pending batch and its pace. With a
 * lifetime, the process is replaced by a fresh one (a new address space and workload)
 * each time that many accesses have run, until the task's access limit.
 */
public final class Task {
  private static final int BATCH = 512;

  /** Starts the process of one generation of a task. */
  public interface Spawner {
    Task.Incarnation spawn(int generation);
  }

  /** One generation: a process and its workload. */
  public record Incarnation(GuestProcess process, Workload workload) {}

  final AccessBatch batch = new AccessBatch(BATCH);
  final double nanosPerAccess;
  final double sliceNanos;
  private final Spawner spawner;
  private final long lifetime;
  GuestProcess process;
  Workload workload;
  int cursor;
  int filled;
  private int generation;
  private long remaining;
  private long lifeLeft;

  public Task(Spawner spawner, double accessesPerSecond, double switchesPerSecond, long limit, long lifetime) {
    this.spawner = spawner;
    this.nanosPerAccess = 1e9 / accessesPerSecond;
    this.sliceNanos = 1e9 / switchesPerSecond;
    this.remaining = limit;
    this.lifetime = lifetime;
    this.lifeLeft = lifetime;
    Incarnation first = spawner.spawn(0);
    this.process = first.process();
    this.workload = first.workload();
  }

  /** Fetches the next batch; false when the workload, its lifetime or the access limit is over. */
  boolean refill() {
    if (remaining <= 0 || lifeLeft <= 0) {
      return false;
    }
    int n = workload.next(batch);
    if (n <= 0) {
      remaining = 0;
      workload.close();
      return false;
    }
    n = (int) Math.min(n, Math.min(remaining, lifeLeft));
    remaining -= n;
    lifeLeft -= n;
    cursor = 0;
    filled = n;
    return true;
  }

  /** Releases the current workload (the run is over). */
  void close() {
    workload.close();
  }

  /** Whether this generation's lifetime ran out while the task still has accesses to run. */
  boolean expired() {
    return lifeLeft <= 0 && remaining > 0;
  }

  /** Replaces the process by the next generation's. */
  void respawn() {
    workload.close();
    Incarnation next = spawner.spawn(++generation);
    process = next.process();
    workload = next.workload();
    lifeLeft = lifetime;
    cursor = 0;
    filled = 0;
  }
}
