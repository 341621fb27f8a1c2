package org.memvirt.engine.vm;

import java.util.ArrayList;
import java.util.List;
import org.memvirt.api.AccessKind;
import org.memvirt.api.Counter;
import org.memvirt.api.MetricNames;
import org.memvirt.api.memory.Pages;
import org.memvirt.api.mmu.Mmu;
import org.memvirt.api.mmu.TlbEntry;
import org.memvirt.api.mmu.VcpuContext;
import org.memvirt.api.mmu.VcpuMmu;
import org.memvirt.api.mmu.WalkResult;
import org.memvirt.api.reclaim.FaultCause;
import org.memvirt.api.workload.AccessBatch;
import org.memvirt.engine.guest.GuestKernel;
import org.memvirt.engine.guest.GuestProcess;
import org.memvirt.engine.guest.PageReplacement;
import org.memvirt.engine.hardware.MetricScope;
import org.memvirt.engine.hardware.SimClock;
import org.memvirt.engine.hardware.TlbHierarchy;
import org.memvirt.engine.host.HostFrames;

/**
 * A virtual CPU: runs its guest processes round robin, each for a time slice, and issues
 * their accesses. One access is one straight line: the TLB; on a miss the technique's walk,
 * with a fault handled and the access re-executed; then the host frame, read or written,
 * checked by the oracle.
 */
public final class Vcpu {
  /** Re-executions of one access before it is called a bug (a technique or guest that never resolves a fault). */
  private static final int MAX_ATTEMPTS = 16;

  private final VirtualMachine vm;
  private final int order;
  private final TlbHierarchy tlb;
  private final MetricScope metrics;
  private final HostFrames host;
  private final GuestKernel guest;
  private final SimClock clock;
  private final ContentOracle oracle;
  private final boolean lru;
  private final List<Task> runQueue = new ArrayList<>();
  private final VmExits hypervisor;
  /** Where the clock reads the time while this vCPU runs. */
  private final java.util.function.DoubleSupplier now = this::time;
  private final Counter accesses;
  private Counter walks;
  private Counter retries;
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

  /**
   * @param order this vCPU's place among the machine's (the schedule runs the vCPU furthest
   *     behind; of two equally far, the one built first)
   */
  public Vcpu(VirtualMachine vm, int order, TlbHierarchy tlb, MetricScope metrics, VmExits hypervisor, SimClock clock,
      ContentOracle oracle) {
    this.vm = vm;
    this.order = order;
    this.hypervisor = hypervisor;
    this.tlb = tlb;
    this.metrics = metrics;
    this.host = hypervisor.host();
    this.guest = vm.kernel();
    this.clock = clock;
    this.oracle = oracle;
    this.lru = guest.replacementPolicy() == PageReplacement.Policy.LRU;
    this.accesses = metrics.counter(MetricNames.ACCESSES);
    this.contextSwitches = metrics.counter(MetricNames.CONTEXT_SWITCHES);
    this.blocked = metrics.counter(MetricNames.BLOCKED_NS);
    this.stall = vm.pendingStall;
  }

  /**
   * Gives this vCPU its translation technique, made from {@code mmu} with what it may see of
   * the vCPU. The vCPU's own walk counters are made here, after the walk caches' and before
   * the technique's, which keeps the metrics in the order they have always been listed in.
   */
  public void attach(Mmu mmu, VcpuContext context) {
    this.walks = metrics.counter(MetricNames.WALKS);
    this.retries = metrics.counter(MetricNames.RETRIES);
    this.mmu = mmu.vcpu(context);
  }

  public VcpuMmu mmu() {
    return mmu;
  }

  public TlbHierarchy tlb() {
    return tlb;
  }

  public MetricScope scope() {
    return metrics;
  }


  public void add(Task task) {
    runQueue.add(task);
  }

  public boolean finished() {
    return runQueue.isEmpty();
  }

  public double time() {
    return time;
  }

  public int order() {
    return order;
  }

  boolean runs(GuestProcess process) {
    return running != null && running.process == process;
  }

  /** Loads the first process; called once before the run. */
  public void start() {
    clock.follow(now);
    if (!runQueue.isEmpty()) {
      switchTo(0);
    }
  }

  /** Runs accesses until simulated time reaches {@code until} or every process has finished. */
  public void runUntil(double until) {
    clock.follow(now);
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
      // The clocks in locals, written back after each access for whoever reads them during
      // the next (the oracle, the simulated clock): the loop's one dependency stays in registers.
      double now = time;
      double nativeNow = nativeTime;
      while (i < t.filled && now < stop) {
        access(t.process, b.addresses[i], b.kinds[i], b.values[i]);
        // Closed-loop time: the access at its native pace, plus what its events stalled.
        now += t.nanosPerAccess + stall[0];
        nativeNow += t.nanosPerAccess + stall[1];
        stall[0] = 0;
        stall[1] = 0;
        time = now;
        nativeTime = nativeNow;
        i++;
      }
      t.cursor = i;
      if (runQueue.size() > 1 && time >= sliceEnd) {
        switchTo((current + 1) % runQueue.size());
      }
    }
  }

  /** One access, through the machine: its host frame, read or written, checked by the oracle. */
  private void access(GuestProcess process, long gva, int kind, long value) {
    long vpn = Pages.number(gva);
    long hppn = hostFrame(process, gva, vpn, kind);
    if (kind == AccessKind.WRITE) {
      host.setContent(hppn, value);
      if (oracle != null) {
        oracle.wrote(process.pid(), vpn, value);
      }
    } else if (oracle != null) {
      oracle.read(process.pid(), vpn, host.content(hppn), gva, (long) time);
    }
    if (lru) {
      guest.touch(process, gva);
    }
    accesses.increment();
  }

  /**
   * The host frame of page {@code vpn} for an access of {@code kind}: the TLB's entry, or,
   * when it has none that serves the access, a {@link #miss}.
   */
  private long hostFrame(GuestProcess process, long gva, long vpn, int kind) {
    boolean write = kind == AccessKind.WRITE;
    long entry = tlb.lookup(vpn, kind);
    if (!TlbEntry.serves(entry, write)) {
      entry = miss(process, gva, vpn, kind, write);
    }
    return TlbEntry.hostFrame(entry, vpn);
  }

  /**
   * A TLB miss: the technique walks; a walk that stops at a fault has it handled (by the
   * guest, the hypervisor, or the technique itself) and the access is re-executed from
   * the TLB lookup, until a walk ends in a translation, which fills the TLB. The one retry
   * loop of an access.
   */
  private long miss(GuestProcess process, long gva, long vpn, int kind, boolean write) {
    for (int attempt = 0;; attempt++) {
      if (attempt > 0) {
        if (attempt == MAX_ATTEMPTS) {
          throw new IllegalStateException(String.format("vm %s: access to 0x%x still faults after %d re-executions",
              vm.name(), gva, MAX_ATTEMPTS));
        }
        retries.increment();
        long entry = tlb.relookup(vpn, kind);
        if (TlbEntry.serves(entry, write)) {
          return entry;
        }
      }
      walks.increment();
      long result = mmu.walk(gva, kind);
      if (result >= 0) {
        tlb.fill(vpn, result, kind);
        return result;
      }
      if (result == WalkResult.GUEST_FAULT) {
        guest.handlePageFault(process, gva);
      } else if (WalkResult.isViolation(result)) {
        hypervisor.resolveNestedFault(vm, WalkResult.violationPage(result),
            FaultCause.ofAccess(WalkResult.violationWrite(result)));
      } else if (result != WalkResult.REPEAT) {
        throw new IllegalStateException(String.format("vm %s: the walk of 0x%x returned %d, neither a TLB entry nor "
            + "a WalkResult", vm.name(), gva, result));
      }
      // WalkResult.REPEAT: the technique resolved it in its own exit.
    }
  }

  /**
   * The host physical address an access of {@code kind} by {@code process} to {@code gva}
   * goes to, its faults handled, without reading or writing the frame.
   */
  public long translate(GuestProcess process, long gva, int kind) {
    return (hostFrame(process, gva, Pages.number(gva), kind) << Pages.SHIFT) | (gva & Pages.OFFSET_MASK);
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
  public void waitUntil(double until) {
    if (until > time) {
      blocked.add((long) (until - time));
      time = until;
    }
  }

  /** The measured window starts now (the end of the warm-up); call before the counters reset. */
  public void startMeasuring() {
    accessesBefore += accesses.get();
    measuredFrom = time;
    nativeMeasuredFrom = nativeTime;
  }

  /** Simulated time this vCPU's work took in the measured window, stalls included. */
  public double elapsed() {
    return time - measuredFrom;
  }

  /** The same work's time natively. */
  public double nativeElapsed() {
    return nativeTime - nativeMeasuredFrom;
  }

  public VirtualMachine vm() {
    return vm;
  }

  /** Accesses this vCPU has run, warm-up included. */
  public long accesses() {
    return accessesBefore + accesses.get();
  }

  /** The run is over: releases the workloads still running here. */
  public void close() {
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
