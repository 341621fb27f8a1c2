package org.memvirt.engine.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.memvirt.api.ApiVersion;
import org.memvirt.engine.config.ExperimentException;
import org.memvirt.engine.report.RunResult;
import org.memvirt.engine.run.Experiments;

/** Discovery with every bundled plugin on the class path: all found, and a conflict fails only the runs that need it. */
class BundledPluginsTest {
  @Test
  void everyBundledTechniqueIsFound() {
    PluginRegistry r = PluginRegistry.discover();
    assertThat(r.mmus()).containsOnlyKeys("ept", "shadow");
    assertThat(r.reclaimers()).containsKeys("balloon", "swap", "sharing");
    assertThat(r.policies()).containsKeys("shares");
    assertThat(r.workloads()).containsKeys("trace", "zipf");
    assertThat(r.refused()).isEmpty();
  }

  @Test
  void twoProvidersOfOneNameFailOnlyTheRunsThatNameIt() {
    PluginRegistry r = PluginRegistry.discover(List.of(), List.of(PluginRegistryTest.plugin("fake-ept", ApiVersion.COMPILED, "mmu:ept")));
    assertThat(r.conflicts()).hasSize(1);
    assertThat(r.mmus()).containsOnlyKeys("shadow");
    assertThatThrownBy(() -> Experiments.run(Experiments.load(null, List.of("mmu.type=ept", "duration=10ms")), r))
        .isInstanceOf(ExperimentException.class)
        .hasMessageContaining("mmu.type: expected a known mmu (shadow); plugin conflict: mmu:ept is provided by "
            + "both mmu-ept (")
        .hasMessageContaining("and fake-ept (given in code");
    RunResult ok = Experiments.run(Experiments.load(null, List.of("mmu.type=shadow", "duration=10ms")), r);
    assertThat(ok.failure()).isNull();
  }

}
