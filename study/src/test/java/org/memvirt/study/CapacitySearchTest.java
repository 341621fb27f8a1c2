package org.memvirt.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memvirt.api.BadInputException;
import org.memvirt.engine.plugin.PluginRegistry;

/** The capacity search from Java, on a case whose answer is known exactly. */
class CapacitySearchTest {
  /** VMs that each touch 8 MiB on a 64 MiB host without reclamation: 7 fit, the 8th runs the host out. */
  static final String FILE = """
      duration: 1s
      host: {memory: 64MiB}
      vms:
        - name: other
          memory: 4MiB
          processes: [{workload: {type: idle, footprint: 64KiB, rate: 1M/s}}]
        - name: web
          memory: 16MiB
          processes: [{workload: {type: sequential, footprint: 8MiB, writes: 1, stride: 4KiB, rate: 1M/s}}]
      """;

  @TempDir
  Path dir;

  private CapacitySearch search(int seeds) throws Exception {
    Path f = dir.resolve("fit.yaml");
    Files.writeString(f, FILE);
    return new CapacitySearch(f, List.of(), List.of(new CapacitySearch.VmTemplate(1, "web", 1)),
        Objective.parse("accesses>=1"), 256, seeds);
  }

  @Test
  void doublesThenBisectsToTheLargestCountThatMeetsTheObjective() throws Exception {
    List<Integer> order = new ArrayList<>();
    CapacitySearch.Answer a = search(2).run(new LocalExecutor(PluginRegistry.discover(), 2), new Stop(),
        p -> order.add(p.vms()));
    assertThat(a.good()).isEqualTo(7);
    assertThat(a.bad()).isEqualTo(8);
    assertThat(a.stopped()).isNull();
    assertThat(order).containsExactly(1, 2, 4, 8, 6, 7);
    assertThat(a.tried().keySet()).containsExactly(1, 2, 4, 6, 7, 8);
    assertThat(a.tried().get(8).failure()).startsWith("host out of memory");
    assertThat(a.tried().get(7).where()).startsWith("other, seed ");
  }

  @Test
  void theAnswerDoesNotDependOnTheThreads() throws Exception {
    PluginRegistry plugins = PluginRegistry.discover();
    CapacitySearch.Answer one = search(2).run(new LocalExecutor(plugins, 1), new Stop(), p -> {});
    CapacitySearch.Answer two = search(2).run(new LocalExecutor(plugins, 2), new Stop(), p -> {});
    assertThat(two).isEqualTo(one);
  }

  @Test
  void aStopKeepsTheCountsDecidedAndSaysWhy() throws Exception {
    Stop stop = new Stop();
    CapacitySearch.Answer a = search(1).run(new LocalExecutor(PluginRegistry.discover(), 1), stop, p -> {
      if (p.vms() == 2) {
        stop.request("stopped by the test");
      }
    });
    assertThat(a.stopped()).isEqualTo("stopped by the test");
    assertThat(a.tried().keySet()).containsExactly(1, 2);
    assertThat(a.good()).isEqualTo(2);
  }

  @Test
  void badSearchesAreRefusedBeforeAnyRun() throws Exception {
    Path f = dir.resolve("fit.yaml");
    Files.writeString(f, FILE);
    List<CapacitySearch.VmTemplate> web = List.of(new CapacitySearch.VmTemplate(1, "web", 1));
    Objective goal = Objective.parse("accesses>=1");
    assertThatThrownBy(() -> new CapacitySearch(f, List.of(), web, goal, 0, 1)).isInstanceOf(BadInputException.class)
        .hasMessage("--max 0: expected 1 or more copies");
    assertThatThrownBy(() -> new CapacitySearch(f, List.of(), web, goal, 4, 0)).isInstanceOf(BadInputException.class)
        .hasMessage("--seeds 0: expected 1 or more runs per count");
    assertThatThrownBy(() -> Objective.parse("accesses=1")).isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("--objective accesses=1: expected METRIC<=VALUE");
    CapacitySearch unknown = new CapacitySearch(f, List.of(), web, Objective.parse("no_such_metric<=1"), 4, 1);
    assertThatThrownBy(() -> unknown.run(new LocalExecutor(PluginRegistry.discover(), 1), new Stop(), p -> {}))
        .isInstanceOf(BadInputException.class).hasMessageContaining("no_such_metric is not a metric of this run");
  }
}
