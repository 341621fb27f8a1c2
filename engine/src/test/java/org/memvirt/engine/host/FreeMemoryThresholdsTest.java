package org.memvirt.engine.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memvirt.api.memory.HostMemoryState.HARD;
import static org.memvirt.api.memory.HostMemoryState.HIGH;
import static org.memvirt.api.memory.HostMemoryState.LOW;
import static org.memvirt.api.memory.HostMemoryState.SOFT;

import org.junit.jupiter.api.Test;

class FreeMemoryThresholdsTest {
  private final FreeMemoryThresholds esx = FreeMemoryThresholds.ESX;

  @Test
  void goesDownAtEachThreshold() {
    assertThat(esx.next(HIGH, 0.05)).isEqualTo(HIGH);
    assertThat(esx.next(HIGH, 0.039)).isEqualTo(SOFT);
    assertThat(esx.next(HIGH, 0.019)).isEqualTo(HARD);
    assertThat(esx.next(HIGH, 0.009)).isEqualTo(LOW);
  }

  @Test
  void comesBackUpOnlyPastTheHigherThreshold() {
    assertThat(esx.next(SOFT, 0.05)).isEqualTo(SOFT);
    assertThat(esx.next(SOFT, 0.06)).isEqualTo(HIGH);
    assertThat(esx.next(HARD, 0.03)).isEqualTo(HARD);
    assertThat(esx.next(HARD, 0.04)).isEqualTo(SOFT);
    assertThat(esx.next(LOW, 0.015)).isEqualTo(LOW);
    assertThat(esx.next(LOW, 0.02)).isEqualTo(HARD);
    assertThat(esx.next(LOW, 0.5)).isEqualTo(HIGH);
  }
}
