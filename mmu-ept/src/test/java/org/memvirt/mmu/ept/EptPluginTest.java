package org.memvirt.mmu.ept;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.memvirt.testkit.PluginCheck;

/** The plugin describes itself as the engine and `memvirt plugins` expect. */
class EptPluginTest {
  @Test
  void itListsWhatItBindsAndDescribesEachFactory() {
    PluginCheck.Report r = PluginCheck.verify(new EptPlugin());
    assertThat(r.descriptor().id()).isEqualTo("mmu-ept");
    assertThat(r.descriptor().version()).isNotBlank();
    assertThat(r.descriptions()).containsOnlyKeys("mmu:ept");
  }
}
