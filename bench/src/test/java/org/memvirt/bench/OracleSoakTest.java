package org.memvirt.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.memvirt.engine.plugin.PluginRegistry;

/**
 * A short oracle soak in every build: random experiments mixing every bundled module, checked
 * by the content oracle and the frame table. None may break an invariant or fail inside
 * memvirt; each refusal and each stop is one line that says why. The full soak (264 runs) is
 * {@code java -cp bench/target/benchmarks.jar org.memvirt.bench.OracleSoak}.
 */
class OracleSoakTest {
  @Test
  void noRunLosesAWriteOrAFrameAndEveryOtherEndSaysWhy() {
    PluginRegistry registry = PluginRegistry.discover();
    List<OracleSoak.Run> runs = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      runs.add(OracleSoak.run(i, OracleSoak.experiment(7, i), registry));
    }
    for (OracleSoak.Run r : runs) {
      assertThat(r.outcome()).as(r.why() + "\n" + r.yaml())
          .isNotIn(OracleSoak.Outcome.INVARIANT, OracleSoak.Outcome.INTERNAL);
      if (r.outcome() != OracleSoak.Outcome.COMPLETED) {
        assertThat(r.why()).as(r.yaml()).isNotBlank().doesNotContain("\n");
      }
    }
    assertThat(runs).filteredOn(r -> r.outcome() == OracleSoak.Outcome.COMPLETED).hasSizeGreaterThan(8)
        .allMatch(r -> r.oracleChecks() > 0);
  }

  @Test
  void theSameSeedDrawsTheSameExperiments() {
    assertThat(OracleSoak.experiment(3, 5)).isEqualTo(OracleSoak.experiment(3, 5))
        .isNotEqualTo(OracleSoak.experiment(3, 6));
  }
}
