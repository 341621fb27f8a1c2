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

  @ParameterizedTest(name = "mapper {0}")
  @ValueSource(booleans = {true, false})
  void keepsTheContractPreventingFalseReadsOrNot(boolean prevent) {
    ReclaimerContract.Report r = ReclaimerContract.verify(new SwapReclaimerFactory(),
        Map.of("mapper", Boolean.toString(prevent), "device", "disk", "zero_pages", "false"));
    assertThat(r.freed()).isPositive();
  }

  @ParameterizedTest(name = "compression, mapper {0}")
  @ValueSource(booleans = {true, false})
  void keepsTheContractCompressing(boolean mapper) {
    // The contract's pages compress to 5/16 of a page: the cache takes them first.
    ReclaimerContract.Report r = ReclaimerContract.verify(new SwapReclaimerFactory(),
        Map.of("compression", "true", "mapper", Boolean.toString(mapper)));
    assertThat(r.freed()).isPositive();
    assertThat(r.releaseRefused()).isZero();
  }
}
