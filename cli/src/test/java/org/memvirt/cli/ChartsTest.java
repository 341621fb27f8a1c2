package org.memvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.sim.MetricCatalog;
import org.memvirt.engine.sim.RunResult;

/** The memory chart draws the installed techniques' memory gauges besides the engine's. */
class ChartsTest {
  @Test
  void techniquesMemoryGaugesJoinTheMemoryChart() {
    var gauges = Charts.techniqueGauges(MetricCatalog.all(PluginRegistry.discover()));
    assertThat(gauges).containsKeys("zip_cache_frames", "zip_saved", "shadow_pages")
        .doesNotContainKeys("consumed", "swapped", "pswpin", "host_free_frames");
  }

  /** A gauge a plugin creates on first use (here at the second sample) is in the time series and the chart. */
  @Test
  void aGaugeCreatedDuringTheRunIsInTheTimeSeriesAndTheChart() throws Exception {
    List<RunResult.Sample> samples = List.of(
        new RunResult.Sample(0, "vm", Map.of("consumed", 10L)),
        new RunResult.Sample(1_000_000_000L, "vm", Map.of("consumed", 10L, "balloon_actual", 100L)),
        new RunResult.Sample(2_000_000_000L, "vm", Map.of("consumed", 10L, "balloon_actual", 100L)));
    RunResult r = new RunResult("x", 1, "ept", 2_000_000_000L, 2_000_000_000L, false, null, Map.of(),
        List.of(new RunResult.VmResult("vm", Map.of("consumed", 10L, "balloon_actual", 100L), List.of())), samples);
    assertThat(ResultCsv.changingMetrics(samples)).containsExactly("balloon_actual");
    assertThat(ResultCsv.timeSeries(r)).contains("0,vm,\n", "1,vm,100\n");
    assertThat(Charts.memory(r, "vm", Map.of("balloon_actual", "ballooned (driver)"))).isNotEmpty();
  }
}
