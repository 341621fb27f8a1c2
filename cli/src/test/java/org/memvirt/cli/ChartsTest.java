package org.memvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.report.RunResult;

/** The charts draw the installed techniques' gauges and priced counters, found in their catalogs. */
class ChartsTest {
  @Test
  void techniquesMemoryGaugesAndPricedCountersJoinTheCharts() {
    RunCharts.Catalog catalog = RunCharts.Catalog.of(PluginRegistry.discover());
    assertThat(catalog.gauges()).containsKeys("zip_cache_frames", "zip_saved", "shadow_pages")
        .doesNotContainKeys("consumed", "swapped", "pswpin", "host_free_frames");
    assertThat(catalog.pricedCounters()).contains("pswpin_ssd", "cow_breaks", "balloon_inflated")
        .doesNotContain("pf_guest", "exits");
  }

  /** A gauge a plugin creates on first use (here at the second sample) is in the time series and the chart. */
  @Test
  void aGaugeCreatedDuringTheRunIsInTheTimeSeriesAndTheChart() throws Exception {
    List<RunResult.Sample> samples = List.of(
        new RunResult.Sample(0, "vm", Map.of("consumed", 10L)),
        new RunResult.Sample(1_000_000_000L, "vm", Map.of("consumed", 10L, "balloon_actual", 100L)),
        new RunResult.Sample(2_000_000_000L, "vm", Map.of("consumed", 10L, "balloon_actual", 100L)));
    RunResult r = new RunResult("x", 1, "ept", 2_000_000_000L, 2_000_000_000L, 0, false, null, Map.of(),
        List.of(new RunResult.VmResult("vm", Map.of("consumed", 10L, "balloon_actual", 100L), List.of())), samples);
    assertThat(ResultCsv.changingMetrics(samples)).containsExactly("balloon_actual");
    assertThat(ResultCsv.timeSeries(r, false)).startsWith("time_s,vm,partial,balloon_actual\n")
        .contains("0,vm,false,\n", "1,vm,false,100\n");
    assertThat(ResultCsv.timeSeries(r, true)).contains("0,vm,true,\n");
    Plot memory = RunCharts.memory(r, "vm", new RunCharts.Catalog(Map.of("balloon_actual", "ballooned (driver)"),
        List.of()));
    double[] y = memory.chart().getSeriesMap().get("ballooned (driver)").getYData();
    assertThat(y[0]).isNaN();
    assertThat(y[1]).isEqualTo(100 * 4096.0 / (1 << 20));
    assertThat(memory.png()).isNotEmpty();
  }
}
