package org.memvirt.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.memvirt.testkit.PluginCheck;

/** The plugin describes itself as the engine and `memvirt plugins` expect. */
class TracePluginTest {
  @Test
  void itListsWhatItBindsAndDescribesEachFactory() {
    PluginCheck.Report r = PluginCheck.verify(new TracePlugin());
    assertThat(r.descriptor().id()).isEqualTo("trace");
    assertThat(r.descriptor().version()).isNotBlank();
    assertThat(r.descriptions()).containsOnlyKeys("workload:trace");
  }
}
