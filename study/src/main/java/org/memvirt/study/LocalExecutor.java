package org.memvirt.study;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;
import org.memvirt.api.BadInputException;
import org.memvirt.engine.experiment.Sweep;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.run.Simulation;

/** Runs a study's points on this machine, one simulation per thread. */
public final class LocalExecutor implements StudyExecutor {
  private final PluginRegistry registry;
  private final int threads;

  /** {@code threads} points at once (at least 1), each on the plugins of {@code registry}. */
  public LocalExecutor(PluginRegistry registry, int threads) {
    this.registry = registry;
    this.threads = Math.max(1, threads);
  }

  /** As many points at once as the machine has cores. */
  public LocalExecutor(PluginRegistry registry) {
    this(registry, Runtime.getRuntime().availableProcessors());
  }

  @Override
  public List<PointOutcome> run(List<Sweep.Point> points, Stop stop, Simulation.ProgressListener progress) {
    AtomicLongArray done = new AtomicLongArray(points.size());
    AtomicLongArray accesses = new AtomicLongArray(points.size());
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, points.size())), r -> {
      Thread t = new Thread(r, "memvirt-study");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<PointOutcome>> futures = new ArrayList<>();
      for (int i = 0; i < points.size(); i++) {
        Sweep.Point p = points.get(i);
        int slot = i;
        futures.add(pool.submit(() -> {
          if (stop.requested()) {
            return PointOutcome.notStarted();
          }
          try {
            Simulation sim = new Simulation(p.experiment(), registry);
            sim.onProgress((now, n) -> {
              done.set(slot, now);
              accesses.set(slot, n);
              progress.progress(sum(done), sum(accesses));
            });
            try (Stop.Registration r = stop.onStop(sim::requestStop)) {
              return PointOutcome.ran(sim.run());
            }
          } catch (BadInputException e) {
            // Bad input only this point's machine shows: the point fails, the others go on.
            return new PointOutcome(null, e.getMessage(), true);
          } catch (OutOfMemoryError e) {
            // Its machine is dropped with it: the other points go on.
            return new PointOutcome(null, outOfHeap(), false);
          } finally {
            done.set(slot, p.experiment().durationNanos);
          }
        }));
      }
      List<PointOutcome> outcomes = new ArrayList<>();
      for (Future<PointOutcome> f : futures) {
        outcomes.add(get(f));
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The one line for a point the JVM ran out of heap on. */
  public static String outOfHeap() {
    long max = Runtime.getRuntime().maxMemory();
    return "out of Java heap (the JVM has " + (max >> 20) + " MiB); give it more with MEMVIRT_OPTS=-Xmx"
        + ((max >> 30) * 2 + 2) + "g, or make the experiment smaller (host, VMs, duration / metrics.period)";
  }

  private static long sum(AtomicLongArray a) {
    long s = 0;
    for (int i = 0; i < a.length(); i++) {
      s += a.get(i);
    }
    return s;
  }

  private static PointOutcome get(Future<PointOutcome> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a study's point", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
