package org.memvirt.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.memvirt.api.MetricNames;
import org.memvirt.engine.experiment.Experiment;
import org.memvirt.engine.report.RunResult;

/**
 * The known trade-off between the two MMUs, on the example experiments shipped in
 * examples/ (scaled down): nested paging wins when page tables change all the time,
 * shadow paging wins when TLB misses dominate.
 */
class MmuTradeOffTest {
  private static double slowdown(String example, String mmu, String... overrides) {
    List<String> sets = new ArrayList<>(List.of(overrides));
    sets.add("mmu.type=" + mmu);
    Experiment e = Experiments.load(Path.of("..", "examples", example + ".yaml"), sets);
    RunResult r = Experiments.run(e, Machines.REGISTRY);
    return r.host().get(MetricNames.SLOWDOWN).doubleValue();
  }

  @Test
  void nestedPagingWinsWhenPageTablesChangeAllTheTime() {
    double ept = slowdown("pt-update-heavy", "ept", "duration=500ms");
    double shadow = slowdown("pt-update-heavy", "shadow", "duration=500ms");
    assertThat(ept).isLessThan(shadow);
  }

  @Test
  void shadowPagingWinsWhenTlbMissesDominate() {
    String[] smaller = {"duration=3s", "measure.after=1s", "vms[0].processes[0].workload.footprint=64MiB"};
    double ept = slowdown("tlb-miss-heavy", "ept", smaller);
    double shadow = slowdown("tlb-miss-heavy", "shadow", smaller);
    assertThat(shadow).isLessThan(ept);
  }
}
