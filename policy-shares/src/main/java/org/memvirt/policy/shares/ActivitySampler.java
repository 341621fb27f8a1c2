package org.memvirt.policy.shares;

import java.util.SplittableRandom;
import org.memvirt.api.Counter;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.VmMemory;

/**
 * ESX's working-set sampling for one VM (Waldspurger OSDI'02, section 5.3): each period it
 * picks {@code n} guest pages at random and clears the policy's accessed bit of each
 * ({@link org.memvirt.api.memory.P2m#clearAccessed}: their cached translations are
 * dropped, so the next access walks the entry again and sets it); at the period's end the
 * pages whose bit is set again were touched, t of them, and t/n is that period's active
 * fraction. The engine keeps the policy's bit apart from the one the reclamation
 * techniques clear, so neither hides the other's touches.
 */
final class ActivitySampler {
  private final VmMemory vm;
  private final int n;
  private final SplittableRandom random;
  private final long[] sampled;
  private final ActiveEstimate estimate;
  private final Counter touchedGauge;
  private final Counter fastGauge;
  private final Counter slowGauge;
  private final Counter fastNowGauge;
  private final Counter samplesCounter;
  private boolean armed;

  ActivitySampler(VmMemory vm, SamplingSettings settings, long seed) {
    this.vm = vm;
    this.n = (int) Math.min(settings.pages(), vm.pages());
    this.random = new SplittableRandom(seed);
    this.sampled = new long[n];
    this.estimate = new ActiveEstimate(settings.fastGain(), settings.slowGain());
    this.touchedGauge = vm.metrics().counter(PolicyMetrics.TOUCHED.name());
    this.fastGauge = vm.metrics().counter(PolicyMetrics.ACTIVE_FAST.name());
    this.slowGauge = vm.metrics().counter(PolicyMetrics.ACTIVE_SLOW.name());
    this.fastNowGauge = vm.metrics().counter(PolicyMetrics.ACTIVE_FAST_NOW.name());
    this.samplesCounter = vm.metrics().counter(PolicyMetrics.SAMPLES.name());
    vm.metrics().counter(PolicyMetrics.SAMPLE_PAGES.name()).set(n);
  }

  /** The period ends: count the last sample's touches, then pick and clear a new one. */
  void period() {
    if (armed) {
      int t = touched();
      estimate.add((double) t / n);
      touchedGauge.set(t);
      samplesCounter.increment();
    }
    pick();
    armed = true;
    publish();
  }

  /** Pages of the sample under way touched so far. */
  private int touched() {
    int t = 0;
    for (long g : sampled) {
      if (P2mEntry.accessed(vm.p2m().get(g))) {
        t++;
      }
    }
    return t;
  }

  /** n distinct guest pages, uniformly at random, each with the policy's accessed bit cleared. */
  private void pick() {
    long pages = vm.pages();
    for (int i = 0; i < n; i++) {
      long g;
      do {
        g = random.nextLong(pages);
      } while (contains(g, i));
      sampled[i] = g;
      vm.p2m().clearAccessed(g);
    }
  }

  private boolean contains(long g, int upTo) {
    for (int i = 0; i < upTo; i++) {
      if (sampled[i] == g) {
        return true;
      }
    }
    return false;
  }

  /** Whether a period has completed: before, nothing is known of the VM's activity. */
  boolean known() {
    return estimate.known();
  }

  /** The active fraction now: max of the slow, the fast and the fast with the period under way. */
  double activeFraction() {
    return estimate.estimate(armed ? (double) touched() / n : 0);
  }

  /** Updates the VM's gauges (ESX's active, and the three averages) and its active estimate. */
  void publish() {
    if (!estimate.known()) {
      return;
    }
    double soFar = armed ? (double) touched() / n : 0;
    long pages = vm.pages();
    fastGauge.set(Math.round(estimate.fast() * pages));
    slowGauge.set(Math.round(estimate.slow() * pages));
    fastNowGauge.set(Math.round(estimate.fastNow(soFar) * pages));
    vm.setActivePages(Math.round(estimate.estimate(soFar) * pages));
  }
}
