package org.memvirt.policy.shares;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.memvirt.testkit.FakeHostMemory;
import org.memvirt.testkit.FakeVm;
import org.memvirt.testkit.MapSettings;

/** Sampling on a VM whose active fraction is known: the estimate's accuracy and its response to steps. */
class ActivitySamplerTest {
  private static final int PAGES = 10_000;

  private final FakeHostMemory host = new FakeHostMemory(PAGES);
  private final FakeVm vm = new FakeVm(0, "vm", PAGES, 0, PAGES, 1000, -1, host);
  private final SplittableRandom workload = new SplittableRandom(3);
  private final ActivitySampler sampler;

  ActivitySamplerTest() {
    host.attach(List.of(vm));
    for (long g = 0; g < PAGES; g++) {
      vm.back(g, g + 1);
    }
    sampler = new ActivitySampler(vm, SamplingSettings.read(new MapSettings(Map.of())), 7);
  }

  /** One period of a guest touching a random {@code f} of its pages: each touch sets the accessed bit. */
  private void period(double f) {
    for (long g = 0; g < PAGES; g++) {
      if (workload.nextDouble() < f) {
        vm.markAccessed(g);
      }
    }
    sampler.period();
  }

  @Test
  void theEstimateIsWithinTheSamplingErrorOfTheActiveFraction() {
    sampler.period(); // the first sample is armed
    double sum = 0;
    int periods = 200;
    for (int p = 0; p < periods; p++) {
      period(0.5);
      sum += vm.count(PolicyMetrics.TOUCHED.name()) / 100.0;
    }
    // n = 100 at f = 0.5: sigma 0.05 per sample, 0.0035 for the mean of 200.
    assertThat(sum / periods).isCloseTo(0.5, within(0.015));
    assertThat(vm.activePages()).isBetween((long) (0.40 * PAGES), (long) (0.65 * PAGES));
  }

  @Test
  void theEstimateRisesWithinAPeriodAndFallsOverSeveral() {
    sampler.period();
    for (int p = 0; p < 20; p++) {
      period(0.1);
    }
    assertThat(sampler.activeFraction()).isCloseTo(0.1, within(0.08));
    period(0.9);
    // One period after the step up, the fast average has gone most of the way.
    assertThat(sampler.activeFraction()).isGreaterThan(0.45);
    for (int p = 0; p < 20; p++) {
      period(0.9);
    }
    assertThat(sampler.activeFraction()).isCloseTo(0.9, within(0.08));
    period(0.1);
    // One period after the step down, the slow average still holds most of it...
    assertThat(sampler.activeFraction()).isGreaterThan(0.75);
    int periods = 1;
    while (sampler.activeFraction() > 0.5 && periods < 50) {
      period(0.1);
      periods++;
    }
    // ...and lets it down over several periods (slow gain 1/8: about 5).
    assertThat(periods).isBetween(4, 8);
  }

  @Test
  void aSampleNeverChangesAnEntryOtherThanItsAccessedBit() {
    long[] before = new long[PAGES];
    for (int g = 0; g < PAGES; g++) {
      before[g] = vm.get(g) & ~org.memvirt.api.memory.P2mEntry.ACCESSED;
    }
    sampler.period();
    period(0.3);
    for (int g = 0; g < PAGES; g++) {
      assertThat(vm.get(g) & ~org.memvirt.api.memory.P2mEntry.ACCESSED).isEqualTo(before[g]);
    }
    assertThat(vm.invalidations()).hasSize(200);
  }

  /** With every page touched, then none, then all again within a period: each gauge exactly (gains 1/2 and 1/8). */
  @Test
  void theGaugesPublishEachAverage() {
    sampler.period();
    assertThat(vm.count(PolicyMetrics.SAMPLE_PAGES.name())).isEqualTo(100);
    assertThat(vm.count(PolicyMetrics.ACTIVE_FAST.name())).isZero();
    assertThat(sampler.known()).isFalse();
    period(1.0);
    assertThat(vm.count(PolicyMetrics.SAMPLES.name())).isEqualTo(1);
    assertThat(vm.count(PolicyMetrics.TOUCHED.name())).isEqualTo(100);
    assertThat(vm.count(PolicyMetrics.ACTIVE_FAST.name())).isEqualTo(PAGES);
    assertThat(vm.count(PolicyMetrics.ACTIVE_SLOW.name())).isEqualTo(PAGES);
    assertThat(vm.count(PolicyMetrics.ACTIVE_FAST_NOW.name())).isEqualTo(PAGES);
    assertThat(vm.activePages()).isEqualTo(PAGES);
    period(0.0);
    assertThat(vm.count(PolicyMetrics.SAMPLES.name())).isEqualTo(2);
    assertThat(vm.count(PolicyMetrics.TOUCHED.name())).isZero();
    assertThat(vm.count(PolicyMetrics.ACTIVE_FAST.name())).isEqualTo(PAGES / 2);
    assertThat(vm.count(PolicyMetrics.ACTIVE_SLOW.name())).isEqualTo(PAGES * 7 / 8);
    assertThat(vm.count(PolicyMetrics.ACTIVE_FAST_NOW.name())).isEqualTo(PAGES / 2);
    assertThat(vm.activePages()).isEqualTo(PAGES * 7 / 8);
    for (long g = 0; g < PAGES; g++) {
      vm.markAccessed(g);
    }
    sampler.publish();
    // The period under way has touched all of its sample so far: fast-now is halfway up.
    assertThat(vm.count(PolicyMetrics.ACTIVE_FAST_NOW.name())).isEqualTo(PAGES * 3 / 4);
    assertThat(vm.count(PolicyMetrics.ACTIVE_FAST.name())).isEqualTo(PAGES / 2);
    assertThat(sampler.activeFraction()).isEqualTo(0.875);
    assertThat(vm.count(PolicyMetrics.SAMPLES.name())).isEqualTo(2);
  }
}
