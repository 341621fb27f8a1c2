package org.memvirt.workloads;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.memvirt.testkit.PluginCheck;

/** The plugin describes itself as the engine and `memvirt plugins` expect. */
class WorkloadsPluginTest {
  @Test
  void itListsWhatItBindsAndDescribesEachFactory() {
    PluginCheck.Report r = PluginCheck.verify(new WorkloadsPlugin());
    assertThat(r.descriptor().id()).isEqualTo("workloads");
    assertThat(r.descriptor().version()).isNotBlank();
    assertThat(r.descriptions()).containsOnlyKeys("workload:uniform", "workload:zipf", "workload:sequential", "workload:phases", "workload:idle", "workload:image", "workload:dedup-probe");
  }
}
