package org.memvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.sim.MetricCatalog;

/** The memory chart draws the installed techniques' memory gauges besides the engine's. */
class ChartsTest {
  @Test
  void techniquesMemoryGaugesJoinTheMemoryChart() {
    var gauges = Charts.techniqueGauges(MetricCatalog.all(PluginRegistry.discover()));
    assertThat(gauges).containsKeys("zip_cache_frames", "zip_saved", "shadow_pages")
        .doesNotContainKeys("consumed", "swapped", "pswpin", "host_free_frames");
  }
}
