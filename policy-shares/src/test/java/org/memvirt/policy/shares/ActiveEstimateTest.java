package org.memvirt.policy.shares;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** ESX's smoothing, step by step with the default gains (fast 1/2, slow 1/8). */
class ActiveEstimateTest {
  @Test
  void theFirstSampleSetsBothAveragesThenEachMovesByItsGain() {
    ActiveEstimate e = new ActiveEstimate(0.5, 0.125);
    assertThat(e.known()).isFalse();
    // Nothing known: the period under way is all there is.
    assertThat(e.fastNow(0.3)).isEqualTo(0.3);
    e.add(0.8);
    assertThat(e.known()).isTrue();
    assertThat(e.fast()).isEqualTo(0.8);
    assertThat(e.slow()).isEqualTo(0.8);
    e.add(0.0);
    assertThat(e.fast()).isEqualTo(0.4);
    assertThat(e.slow()).isCloseTo(0.7, within(1e-12));
    // The estimate falls only as fast as the slow average.
    assertThat(e.estimate(0)).isCloseTo(0.7, within(1e-12));
    // The period under way raises the fast average, never lowers it.
    assertThat(e.fastNow(0.1)).isEqualTo(0.4);
    assertThat(e.fastNow(1.0)).isCloseTo(0.4 + 0.5 * 0.6, within(1e-12));
    assertThat(e.estimate(1.0)).isCloseTo(0.7, within(1e-12));
  }

  @Test
  void theEstimateIsTheLargestOfTheThree() {
    ActiveEstimate e = new ActiveEstimate(0.5, 0.125);
    e.add(0.2);
    e.add(0.6);
    // fast 0.4, slow 0.25; with the period under way at 0.9: 0.4 + 0.5 x 0.5 = 0.65.
    assertThat(e.fast()).isEqualTo(0.4);
    assertThat(e.slow()).isEqualTo(0.25);
    assertThat(e.estimate(0.9)).isCloseTo(0.65, within(1e-12));
    assertThat(e.estimate(0.0)).isEqualTo(0.4);
  }
}
