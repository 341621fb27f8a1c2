package org.memvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memvirt.api.MetricInfo;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.report.MetricCatalog;
import org.memvirt.engine.report.RunResult;
import org.memvirt.engine.run.Experiments;

/** Every metric is documented once, in the catalog, and the table of docs/metrics.md is the catalog. */
class MetricsDocumentationTest {
  private static final PluginRegistry PLUGINS = PluginRegistry.discover();
  private static final List<MetricInfo> CATALOG = MetricCatalog.all(PLUGINS);

  @Test
  void theReadmesTableIsTheCatalog() throws Exception {
    String table = Files.readString(Path.of("..", "docs", "metrics.md"));
    assertThat(table).contains(MetricCatalog.markdown(CATALOG));
    assertThat(CliTest.memvirt("metrics").out()).isEqualTo(MetricCatalog.markdown(CATALOG));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ept", "shadow"})
  void everyMetricARunReportsIsDocumented(String mmu) {
    RunResult r = Experiments.run(Experiments.load(null, List.of("mmu.type=" + mmu, "duration=200ms", "verify=true")),
        PLUGINS);
    Set<String> documented = CATALOG.stream().map(MetricInfo::name).collect(Collectors.toSet());
    r.vms().forEach(vm -> assertThat(documented).containsAll(vm.metrics().keySet()));
    assertThat(documented).containsAll(r.host().keySet());
  }
}
