package org.memvirt.policy.shares;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** ρ on the worked examples, who loses memory first, and targets within every bound. */
class IdleMemoryTaxTest {
  @Test
  void rhoOnTheWorkedExamples() {
    IdleMemoryTax tax = new IdleMemoryTax(0.8);
    assertThat(tax.rho(6000, 4000, 0.25)).isCloseTo(0.375, within(1e-12));
    assertThat(tax.rho(2000, 2000, 0.85)).isCloseTo(0.625, within(1e-12));
    IdleMemoryTax none = new IdleMemoryTax(0);
    assertThat(none.rho(6000, 4000, 0.25)).isCloseTo(1.5, within(1e-12));
    assertThat(none.rho(2000, 2000, 0.85)).isCloseTo(1.0, within(1e-12));
  }

  /** A page short: with the tax, A (lower ρ) gives it; without, B does. */
  @Test
  void theVmWithTheLowestRhoLosesFirst() {
    double[] shares = {6000, 2000};
    double[] active = {0.25 * 4000, 0.85 * 2000};
    long[] min = {0, 0};
    long[] max = {4000, 2000};
    long[] taxed = new IdleMemoryTax(0.8).targets(5999, shares, active, min, max);
    assertThat(taxed[0]).isLessThan(4000);
    assertThat(taxed[1]).isEqualTo(2000);
    long[] untaxed = new IdleMemoryTax(0).targets(5999, shares, active, min, max);
    assertThat(untaxed[0]).isEqualTo(4000);
    assertThat(untaxed[1]).isLessThan(2000);
  }

  @Test
  void equalSharesAndActivityGetEqualTargetsAndTheTaxMovesMemoryToTheActive() {
    double[] shares = {2560, 2560};
    long[] min = {0, 0};
    long[] max = {65536, 65536};
    long[] none = new IdleMemoryTax(0).targets(90000, shares, new double[] {0, 50000}, min, max);
    assertThat(none[0]).isEqualTo(none[1]).isEqualTo(45000);
    long[] taxed = new IdleMemoryTax(0.75).targets(90000, shares, new double[] {0, 50000}, min, max);
    assertThat(taxed[1]).isGreaterThan(taxed[0] + 20000);
    assertThat(taxed[0] + taxed[1]).isLessThanOrEqualTo(90000);
  }

  /** A property over random VM sets: targets add up within what is available and honour min and max. */
  @Test
  void targetsStayWithinAvailableMemoryAndEveryBound() {
    SplittableRandom r = new SplittableRandom(12);
    for (int c = 0; c < 500; c++) {
      int n = 1 + r.nextInt(8);
      double[] shares = new double[n];
      double[] active = new double[n];
      long[] min = new long[n];
      long[] max = new long[n];
      long sumMin = 0;
      for (int i = 0; i < n; i++) {
        long pages = 256 + r.nextInt(1 << 18);
        max[i] = r.nextBoolean() ? pages : 1 + r.nextLong(pages);
        min[i] = r.nextInt(4) == 0 ? r.nextLong(max[i] + 1) : 0;
        shares[i] = r.nextInt(10) == 0 ? 0 : r.nextInt(1, 100_000);
        active[i] = r.nextDouble() * pages;
        sumMin += min[i];
      }
      long available = sumMin + r.nextLong(1 << 20);
      double tau = r.nextInt(4) == 0 ? 0 : r.nextDouble() * 0.99;
      long[] t = new IdleMemoryTax(tau).targets(available, shares, active, min, max);
      long sum = 0;
      for (int i = 0; i < n; i++) {
        assertThat(t[i]).isBetween(min[i], max[i]);
        sum += t[i];
      }
      assertThat(sum).isLessThanOrEqualTo(Math.max(available, sumMin));
    }
  }
}
