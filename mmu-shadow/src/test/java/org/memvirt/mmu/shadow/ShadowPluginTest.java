package org.memvirt.mmu.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.memvirt.testkit.PluginCheck;

/** The plugin describes itself as the engine and `memvirt plugins` expect. */
class ShadowPluginTest {
  @Test
  void itListsWhatItBindsAndDescribesEachFactory() {
    PluginCheck.Report r = PluginCheck.verify(new ShadowPlugin());
    assertThat(r.descriptor().id()).isEqualTo("mmu-shadow");
    assertThat(r.descriptor().version()).isNotBlank();
    assertThat(r.descriptions()).containsOnlyKeys("mmu:shadow");
  }
}
