package org.memvirt.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memvirt.testkit.PolicyContract;
import org.memvirt.testkit.ReclaimerContract;

/**
 * The engine's test techniques keep the contract every technique keeps, checked on the
 * testkit's fakes, as a third party's would be; and the contract catches their bugs.
 */
class TestTechniquesContractTest {
  @Test
  void theSwapperKeepsTheContract() {
    ReclaimerContract.Report r = ReclaimerContract.verify(new TestPlugin.ToySwapFactory(), Map.of());
    assertThat(r.freed()).isPositive();
    assertThat(r.released()).isPositive();
    assertThat(r.releaseRefused()).isZero();
    assertThat(r.limitRefusals()).isZero();
    assertThat(r.pagesChecked()).isGreaterThan(2000);
  }

  @Test
  void theBalloonKeepsTheContract() {
    ReclaimerContract.Report r = ReclaimerContract.verify(new TestPlugin.ToyBalloonFactory(), Map.of());
    // It frees the frames of the pages the guests gave up, and keeps what it holds.
    assertThat(r.freed()).isPositive();
    assertThat(r.released()).isZero();
    assertThat(r.releaseRefused()).isPositive();
  }

  @Test
  void aTechniqueThatTakesNothingKeepsTheContractButNotTheLimit() {
    ReclaimerContract.Report r = ReclaimerContract.verify(new TestPlugin.HandFactory(), Map.of());
    assertThat(r.freed()).isZero();
    assertThat(r.limitRefusals()).isPositive();
  }

  @Test
  void theContractCatchesALossyAndALeakySwapper() {
    assertThatThrownBy(() -> ReclaimerContract.verify(new TestPlugin.ToySwapFactory(), Map.of("lossy", "true")))
        .isInstanceOf(AssertionError.class).hasMessageContaining("(a lost write)");
    assertThatThrownBy(() -> ReclaimerContract.verify(new TestPlugin.ToySwapFactory(), Map.of("leaky", "true")))
        .isInstanceOf(AssertionError.class).hasMessageContaining("but host memory gained 0");
  }

  @Test
  void theSharerKeepsTheContract() {
    // Every page of the contract's VMs holds its own content: nothing to merge, but faults,
    // releases and the frame invariant all apply.
    ReclaimerContract.Report r = ReclaimerContract.verify(new TestPlugin.ToyShareFactory(), Map.of());
    assertThat(r.freed()).isZero();
    assertThat(r.pagesChecked()).isGreaterThan(2000);
  }

  @Test
  void theEqualSplitPolicyKeepsTheContract() {
    PolicyContract.Report r = PolicyContract.verify(new TestPlugin.EqualSplitFactory(), Map.of("fraction", "0.9"));
    // Every 500 ms for 60 s; 4096 × 0.9 / 3 each, c capped at its limit of 1024.
    assertThat(r.targets()).hasSize(120);
    assertThat(r.targets().get(0)).containsExactly(1228, 1228, 1024);
  }
}
