package org.memvirt.engine.sim;

import java.util.ArrayList;
import java.util.List;
import org.memvirt.api.AccessKind;
import org.memvirt.api.Counter;
import org.memvirt.api.MetricNames;
import org.memvirt.api.memory.Pages;
import org.memvirt.api.mmu.VcpuMmu;
import org.memvirt.api.workload.AccessBatch;
import org.memvirt.engine.guest.GuestKernel;
import org.memvirt.engine.guest.GuestProcess;
import org.memvirt.engine.guest.PageReplacement;
import org.memvirt.engine.machine.HostFrames;
import org.memvirt.engine.machine.MetricScope;
import org.memvirt.engine.machine.TlbHierarchy;

/**
 * A virtual CPU: runs its guest processes round robin, each for a time slice, and issues
 * their accesses. One access is one straight line: translate (the MMU), let the guest
 * handle a page fault and retry, then read or write the host frame, checked by the oracle.
 */
final class Vcpu {
  private static final int MAX_FAULT_RETRIES = 4;

  private final VirtualMachine vm;
  private final TlbHierarchy tlb;
  private final MetricScope metrics;
  private final HostFrames host;
  private final GuestKernel guest;
  private final SimClock clock;
  private final ContentOracle oracle;
  private final boolean lru;
  private final List<Task> runQueue = new ArrayList<>();
  private final Counter accesses;
  private final Counter contextSwitches;
  private VcpuMmu mmu;
  private int current;
  private Task running;
  private final double[] stall;
  private final Counter blocked;
  /** Simulated time on this vCPU: its work at its native pace plus every stall. */
  private double time;
  /** The same work's time natively. */
  private double nativeTime;
  private double measuredFrom;
  /** Accesses run before the warm-up ended (the counter starts again from 0 there). */
  private long accessesBefore;
  private double nativeMeasuredFrom;
  private double sliceEnd;

  Vcpu(VirtualMachine vm, TlbHierarchy tlb, MetricScope metrics, HostFrames host, SimClock clock,
      ContentOracle oracle) {
    this.vm = vm;
    this.tlb = tlb;
    this.metrics = metrics;
    this.host = host;
    this.guest = vm.kernel();
    this.clock = clock;
    this.oracle = oracle;
    this.lru = guest.replacementPolicy() == PageReplacement.Policy.LRU;
    this.accesses = metrics.counter(MetricNames.ACCESSES);
    this.contextSwitches = metrics.counter(MetricNames.CONTEXT_SWITCHES);
    this.blocked = metrics.counter(MetricNames.BLOCKED_NS);
    this.stall = vm.pendingStall;
  }

  void attach(VcpuMmu mmu) {
    this.mmu = mmu;
  }

  VcpuMmu mmu() {
    return mmu;
  }

  TlbHierarchy tlb() {
    return tlb;
  }

  MetricScope scope() {
    return metrics;
  }


  void add(Task task) {
    runQueue.add(task);
  }

  boolean finished() {
    return runQueue.isEmpty();
  }

  double time() {
    return time;
  }

  boolean runs(GuestProcess process) {
    return running != null && running.process == process;
  }

  /** Loads the first process; called once before the run. */
  void start() {
    clock.follow(this);
    if (!runQueue.isEmpty()) {
      switchTo(0);
    }
  }

  /** Runs accesses until simulated time reaches {@code until} or every process has finished. */
  void runUntil(double until) {
    clock.follow(this);
    while (time < until && running != null) {
      Task t = running;
      if (t.cursor == t.filled && t.expired()) {
        respawn(t);
        continue;
      }
      if (t.cursor == t.filled && !t.refill()) {
        if (t.expired()) {
          continue;
        }
        exit(t);
        continue;
      }
      double stop = runQueue.size() > 1 ? Math.min(until, sliceEnd) : until;
      AccessBatch b = t.batch;
      int i = t.cursor;
      while (i < t.filled && time < stop) {
        access(t.process, b.addresses[i], b.kinds[i], b.values[i]);
        // Closed-loop time: the access at its native pace, plus what its events stalled.
        time += t.nanosPerAccess + stall[0];
        nativeTime += t.nanosPerAccess + stall[1];
        stall[0] = 0;
        stall[1] = 0;
        i++;
      }
      t.cursor = i;
      if (runQueue.size() > 1 && time >= sliceEnd) {
        switchTo((current + 1) % runQueue.size());
      }
    }
  }

  /** One access, through the machine. */
  private void access(GuestProcess process, long gva, int kind, long value) {
    long hpa = mmu.translate(gva, kind);
    for (int tries = 0; hpa == VcpuMmu.GUEST_FAULT; tries++) {
      if (tries == MAX_FAULT_RETRIES) {
        throw new IllegalStateException(String.format("vm %s: access to 0x%x still faults after the guest mapped it",
            vm.name(), gva));
      }
      guest.handlePageFault(process, gva);
      hpa = mmu.retranslate(gva, kind);
    }
    long hppn = Pages.number(hpa);
    if (kind == AccessKind.WRITE) {
      host.setContent(hppn, value);
      if (oracle != null) {
        oracle.wrote(process.pid(), Pages.number(gva), value);
      }
    } else if (oracle != null) {
      oracle.read(process.pid(), Pages.number(gva), host.content(hppn), gva, (long) time);
    }
    if (lru) {
      guest.touch(process, gva);
    }
    accesses.increment();
  }

  private void switchTo(int next) {
    boolean first = running == null;
    current = next;
    running = runQueue.get(next);
    sliceEnd = time + running.sliceNanos;
    if (!first) {
      contextSwitches.increment();
    }
    mmu.loadCr3(running.process.rootGppn());
  }

  /** The running process's lifetime ran out: it exits and a fresh one starts in its place. */
  private void respawn(Task t) {
    vm.exitProcess(t.process);
    t.respawn();
    contextSwitches.increment();
    mmu.loadCr3(t.process.rootGppn());
  }

  /** The VM is blocked (the host's low state): this vCPU waits until {@code until}. */
  void waitUntil(double until) {
    if (until > time) {
      blocked.add((long) (until - time));
      time = until;
    }
  }

  /** The measured window starts now (the end of the warm-up); call before the counters reset. */
  void startMeasuring() {
    accessesBefore += accesses.get();
    measuredFrom = time;
    nativeMeasuredFrom = nativeTime;
  }

  /** Simulated time this vCPU's work took in the measured window, stalls included. */
  double elapsed() {
    return time - measuredFrom;
  }

  /** The same work's time natively. */
  double nativeElapsed() {
    return nativeTime - nativeMeasuredFrom;
  }

  VirtualMachine vm() {
    return vm;
  }

  /** Accesses this vCPU has run, warm-up included. */
  long accesses() {
    return accessesBefore + accesses.get();
  }

  /** The run is over: releases the workloads still running here. */
  void close() {
    runQueue.forEach(Task::close);
  }

  /** A process whose workload has finished exits: the guest frees its memory (exit_mmap). */
  private void exit(Task t) {
    int at = runQueue.indexOf(t);
    runQueue.remove(at);
    t.close();
    vm.exitProcess(t.process);
    if (runQueue.isEmpty()) {
      running = null;
    } else {
      // The exit switches to the next process: a context switch like any other.
      switchTo(at % runQueue.size());
    }
  }
}
