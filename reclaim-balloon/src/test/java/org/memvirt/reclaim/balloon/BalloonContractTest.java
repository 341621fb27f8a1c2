package org.memvirt.reclaim.balloon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memvirt.testkit.ReclaimerContract;

/** The balloon keeps the contract every technique keeps, with either driver and virtio's features. */
class BalloonContractTest {
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"vmware", "virtio"})
  void keepsTheContract(String driver) {
    ReclaimerContract.Report r = ReclaimerContract.verify(new BalloonReclaimerFactory(), Map.of("driver", driver));
    // It frees nothing when asked (its driver does, later) and gives no ballooned page away.
    assertThat(r.freed()).isZero();
    assertThat(r.released()).isZero();
  }

  @ParameterizedTest(name = "period {0} ns")
  @ValueSource(longs = {1_000_000_000L, 300_000_000L})
  void keepsTheContractWithVirtioFeatures(long period) {
    ReclaimerContract.Report r = ReclaimerContract.verify(new BalloonReclaimerFactory(), Map.of("driver", "virtio",
        "deflate_on_oom", "true", "free_page_reporting", "true", "period", Long.toString(period)));
    assertThat(r.pagesChecked()).isPositive();
  }
}
