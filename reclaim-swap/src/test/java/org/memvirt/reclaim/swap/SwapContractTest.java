package org.memvirt.reclaim.swap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memvirt.testkit.ReclaimerContract;

/** The swapper keeps the contract every technique keeps, whatever its settings. */
class SwapContractTest {
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"random", "clock"})
  void keepsTheContract(String victims) {
    ReclaimerContract.Report r = ReclaimerContract.verify(new SwapReclaimerFactory(), Map.of("victims", victims));
    assertThat(r.freed()).isPositive();
    assertThat(r.released()).isPositive();
    assertThat(r.releaseRefused()).isZero();
    assertThat(r.limitRefusals()).isZero();
  }

  @ParameterizedTest(name = "prevent_false_reads {0}")
  @ValueSource(booleans = {true, false})
  void keepsTheContractPreventingFalseReadsOrNot(boolean prevent) {
    ReclaimerContract.Report r = ReclaimerContract.verify(new SwapReclaimerFactory(),
        Map.of("prevent_false_reads", Boolean.toString(prevent), "device", "disk", "zero_pages", "false"));
    assertThat(r.freed()).isPositive();
  }
}
