package org.memvirt.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.report.RunResult;
import org.memvirt.engine.run.Simulation;
import org.memvirt.engine.experiment.Sweep;

/**
 * Runs a sweep's points in parallel, one simulation per thread. Each point is independent
 * (its own machine and seed), so the results do not depend on the number of threads.
 */
final class SweepRunner {
  private SweepRunner() {}

  static SweepRun run(List<Sweep.Axis> axes, List<Sweep.Point> points, PluginRegistry registry, int threads,
      Interruption interruption, Simulation.ProgressListener progress) {
    AtomicLongArray done = new AtomicLongArray(points.size());
    AtomicLongArray accesses = new AtomicLongArray(points.size());
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, points.size())), r -> {
      Thread t = new Thread(r, "memvirt-sweep");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<RunResult>> futures = new ArrayList<>();
      String[] failures = new String[points.size()];
      for (Sweep.Point p : points) {
        futures.add(pool.submit(() -> {
          if (interruption.interrupted()) {
            return null;
          }
          try {
            Simulation sim = new Simulation(p.experiment(), registry);
            sim.onProgress((now, n) -> {
              done.set(p.index(), now);
              accesses.set(p.index(), n);
              progress.progress(sum(done), sum(accesses));
            });
            try (Interruption.Registration stop = interruption.onInterrupt(sim::requestStop)) {
              return sim.run();
            }
          } catch (org.memvirt.api.BadInputException e) {
            // Bad input only this point's machine shows: the point fails, the others go on.
            failures[p.index()] = e.getMessage();
            return null;
          } catch (OutOfMemoryError e) {
            // Its machine is dropped with it: the other points go on.
            failures[p.index()] = Main.outOfHeap().substring("memvirt: ".length());
            return null;
          } finally {
            done.set(p.index(), p.experiment().durationNanos);
          }
        }));
      }
      List<RunResult> results = new ArrayList<>();
      for (Future<RunResult> f : futures) {
        results.add(get(f));
      }
      List<String> failed = new ArrayList<>();
      for (int i = 0; i < points.size(); i++) {
        RunResult r = results.get(i);
        failed.add(failures[i] != null ? failures[i] : r != null ? r.failure() : null);
      }
      return new SweepRun(axes.stream().map(Sweep.Axis::path).toList(), points, results, failed);
    } finally {
      pool.shutdownNow();
    }
  }

  private static long sum(AtomicLongArray a) {
    long s = 0;
    for (int i = 0; i < a.length(); i++) {
      s += a.get(i);
    }
    return s;
  }

  private static RunResult get(Future<RunResult> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a sweep point", e);
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
