package org.memvirt.engine.run;

import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.memvirt.engine.experiment.Experiment;
import org.memvirt.engine.hardware.MetricScope;
import org.memvirt.engine.host.HostFrames;
import org.memvirt.engine.hypervisor.FrameTableCheck;
import org.memvirt.engine.hypervisor.Hypervisor;
import org.memvirt.engine.hypervisor.MemoryExhausted;
import org.memvirt.engine.machine.Daemon;
import org.memvirt.engine.machine.Machine;
import org.memvirt.engine.machine.MachineBuilder;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.report.MetricCatalog;
import org.memvirt.engine.report.RunReport;
import org.memvirt.engine.report.RunResult;
import org.memvirt.engine.vm.Vcpu;
import org.memvirt.engine.vm.VirtualMachine;

/**
 * One run of an experiment: advances the simulated clock, always running the vCPU that is
 * furthest behind, and the daemons when they are due; ends the warm-up; reports. The
 * machine it runs is assembled by {@link MachineBuilder}.
 */
public final class Simulation {
  /** Longest stretch one vCPU runs before the others catch up. */
  private static final double QUANTUM_NANOS = 100_000;
  /** Progress is reported every 1024 steps of the loop (a mask). */
  private static final long PROGRESS_STEPS = 1023;

  private final Experiment experiment;
  private final Machine machine;
  private final RunReport report;
  /**
   * The vCPUs with work left, furthest behind in simulated time first (ties: the one built
   * first): choosing the next costs log(vCPUs), so idle VMs cost nothing per step. Made when
   * the run starts; a vCPU is taken out while it runs, since its time is the queue's order.
   */
  private PriorityQueue<Vcpu> queue;
  private long endNanos;
  private boolean started;
  private volatile boolean stopRequested;
  private boolean stopped;
  private String failure;
  private ProgressListener progress;
  /** Metrics kept as levels in counters (a technique's gauges): the warm-up leaves them alone. */
  private final java.util.Set<String> gauges;

  /** Told how a run advances, from the thread that runs it. */
  public interface ProgressListener {
    /** Simulated time reached so far, and accesses run so far. */
    void progress(long simulatedNanos, long accesses);
  }

  public Simulation(Experiment experiment, PluginRegistry registry) {
    this.experiment = experiment;
    this.machine = MachineBuilder.build(experiment, registry);
    this.gauges = MetricCatalog.gauges(MetricCatalog.all(registry));
    this.report = new RunReport(machine);
    machine.daemons.add(new Daemon("metrics", experiment.metricsPeriodNanos, report::sample));
    if (experiment.measureAfterNanos > 0) {
      machine.daemons.add(new Daemon("warm-up", experiment.measureAfterNanos, Long.MAX_VALUE, now -> endWarmUp()));
    }
  }

  /**
   * Runs to the experiment's duration, or until every workload has finished, and reports.
   * A run that runs out of memory stops there and reports what it measured, marked partial,
   * with the reason as its {@link RunResult#failure()}.
   */
  public RunResult run() {
    try {
      advanceTo(experiment.durationNanos);
    } catch (MemoryExhausted e) {
      failure = e.getMessage();
      stopped = true;
      endNanos = Math.max(endNanos, machine.clock.nanos());
    } catch (org.memvirt.api.BadInputException e) {
      // Bad input that shows only while running (a guest swap device full, a plugin failing to
      // start a process): what was measured until then is reported, marked partial, with the reason.
      failure = e.getMessage();
      stopped = true;
      endNanos = Math.max(endNanos, machine.clock.nanos());
    } catch (OutOfMemoryError e) {
      // The JVM's heap, not the simulated host's: what was measured is still reported, marked partial.
      failure = "out of Java heap (the JVM has " + (Runtime.getRuntime().maxMemory() >> 20)
          + " MiB); give it more with MEMVIRT_OPTS=-Xmx...";
      stopped = true;
      endNanos = Math.max(endNanos, machine.clock.nanos());
    } finally {
      machine.vcpus.forEach(Vcpu::close);
    }
    return result();
  }

  /**
   * Advances simulated time to {@code nanos} (capped at the experiment's duration), or until
   * every workload has finished. Returns the time reached. Lets library users and
   * benchmarks step a run; {@link #result()} reports at any point.
   */
  public long advanceTo(long nanos) {
    if (!started) {
      started = true;
      report.sample(0);
      machine.vcpus.forEach(Vcpu::start);
      queue = new PriorityQueue<>(Comparator.comparingDouble(Vcpu::time).thenComparingInt(Vcpu::order));
      machine.vcpus.stream().filter(v -> !v.finished()).forEach(queue::add);
    }
    long limit = Math.min(nanos, experiment.durationNanos);
    for (long step = 0; ; step++) {
      Vcpu v = queue.peek();
      if (v == null || v.time() >= limit) {
        break;
      }
      if (stopRequested) {
        stopped = true;
        break;
      }
      if (progress != null && (step & PROGRESS_STEPS) == 0) {
        progress.progress((long) v.time(), accesses());
      }
      Daemon d = nextDaemon();
      while (d != null && d.next <= v.time()) {
        machine.clock.set(d.next);
        d.run();
        d = nextDaemon();
      }
      double until = Math.min(v.time() + QUANTUM_NANOS, limit);
      if (d != null) {
        until = Math.min(until, d.next);
      }
      until = Math.max(until, Math.nextUp(v.time()));
      queue.poll();
      if (machine.hypervisor.reclamation().blocked(v.vm())) {
        // The host is in its low state and this VM above its target: it waits for reclamation.
        v.waitUntil(d != null ? Math.min(d.next, limit) : limit);
      } else {
        v.runUntil(until);
      }
      if (!v.finished()) {
        queue.add(v);
      }
    }
    double end = 0;
    for (Vcpu v : machine.vcpus) {
      end = Math.max(end, Math.min(v.time(), limit));
    }
    endNanos = Math.max(endNanos, (long) Math.ceil(end));
    machine.clock.set(endNanos);
    return endNanos;
  }

  /** The warm-up is over: every counter starts again from zero, every vCPU measures from now. */
  private void endWarmUp() {
    machine.hostMetrics.reset(gauges);
    for (VirtualMachine vm : machine.vms) {
      vm.scope().reset(gauges);
    }
    for (Vcpu v : machine.vcpus) {
      v.startMeasuring();
      v.scope().reset(gauges);
    }
  }

  /**
   * Asks the run to stop at its next step (safe from any thread, a signal handler's
   * included). The run then reports what it measured so far, marked partial.
   */
  public void requestStop() {
    stopRequested = true;
  }

  /** Listens to the run's progress (every few thousand steps; the schedule is unchanged). */
  public void onProgress(ProgressListener listener) {
    this.progress = listener;
  }

  /** Accesses run so far, warm-up included, all vCPUs together (for progress). */
  public long accesses() {
    long n = 0;
    for (Vcpu v : machine.vcpus) {
      n += v.accesses();
    }
    return n;
  }

  /** The experiment, with every default its readers used filled in. */
  public Experiment experiment() {
    return experiment;
  }

  /** Simulated time reached so far. */
  public long nowNanos() {
    return endNanos;
  }

  /**
   * The metrics so far (the totals, and the time series with a last sample at the time
   * reached). With {@code verify}, checks the frame table first.
   */
  public RunResult result() {
    if (experiment.verify) {
      checkFrameTable();
    }
    return report.result(endNanos, stopped, failure);
  }

  /** The invariant of the ownership contract, over the whole machine now. */
  public void checkFrameTable() {
    FrameTableCheck.check(machine.host, machine.vms, machine.hypervisor.techniques());
  }

  private Daemon nextDaemon() {
    Daemon best = null;
    for (Daemon d : machine.daemons) {
      if (best == null || d.next < best.next) {
        best = d;
      }
    }
    return best;
  }

  /** The VMs, for tests that drive the machine directly. */
  public List<VirtualMachine> vms() {
    return machine.vms;
  }

  public HostFrames host() {
    return machine.host;
  }

  /** Bytes of the host's frame table made so far: it grows in chunks as frames are first used (for benchmarks). */
  public long hostFrameTableBytes() {
    return machine.host.tableBytes();
  }

  public Hypervisor hypervisor() {
    return machine.hypervisor;
  }

  MetricScope hostMetrics() {
    return machine.hostMetrics;
  }
}
