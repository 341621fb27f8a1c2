package org.memvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.report.RunResult;
import org.memvirt.engine.run.Experiments;

/** The shipped real trace (GNU sort) replayed through the whole machine: examples/trace-sort.yaml. */
class TraceReplayTest {
  static final Path EXAMPLE = Path.of("../examples/trace-sort.yaml");

  @TempDir
  Path dir;

  static RunResult run(String... overrides) {
    return Experiments.run(Experiments.load(EXAMPLE, List.of(overrides)), PluginRegistry.discover());
  }

  static long metric(RunResult r, String vm, String name) {
    return r.vm(vm).metrics().get(name).longValue();
  }

  @Test
  void everyRecordIsTranslatedAndEveryPageFaultedInOnce() {
    RunResult r = run("verify=true");
    // 2,404,405 records, 452 of which cross a page: one translation per page touched.
    assertThat(metric(r, "a", "accesses")).isEqualTo(2_404_857);
    // The trace touches 252 distinct pages: each faults into the guest exactly once.
    assertThat(metric(r, "a", "pf_guest")).isEqualTo(252);
    assertThat(r.host().get("oracle_checks").longValue()).isPositive();
    // The two guests replay the same trace: the same numbers.
    assertThat(r.vm("b").metrics()).isEqualTo(r.vm("a").metrics());
  }

  @Test
  void tlbFiguresUnderNestedAndShadowPagingAreStable() {
    RunResult ept = run();
    assertThat(Map.of("l1i", metric(ept, "a", "tlb_l1i_misses"), "l1d", metric(ept, "a", "tlb_l1d_misses"),
        "l2", metric(ept, "a", "tlb_l2_misses"), "walks", metric(ept, "a", "walks"),
        "walk_refs", metric(ept, "a", "walk_refs"), "exits", metric(ept, "a", "exits")))
        .isEqualTo(Map.of("l1i", 167L, "l1d", 353L, "l2", 252L, "walks", 509L, "walk_refs", 792L, "exits", 262L));
    RunResult shadow = run("mmu.type=shadow");
    assertThat(Map.of("l1i", metric(shadow, "a", "tlb_l1i_misses"), "l1d", metric(shadow, "a", "tlb_l1d_misses"),
        "l2", metric(shadow, "a", "tlb_l2_misses"), "walks", metric(shadow, "a", "walks"),
        "exits", metric(shadow, "a", "exits")))
        .isEqualTo(Map.of("l1i", 167L, "l1d", 353L, "l2", 252L, "walks", 766L, "exits", 783L));
  }

  @Test
  void binaryReplayGivesTheSameNumbersAsText() {
    Path bin = dir.resolve("sort.mvt");
    assertThat(CliTest.memvirt("trace", "convert", TraceCommandTest.SORT.toString(), bin.toString()).code()).isZero();
    RunResult text = run();
    RunResult binary = run("vms[0].processes[0].workload.path=" + bin, "vms[1].processes[0].workload.path=mvt:" + bin);
    assertThat(binary.vms()).isEqualTo(text.vms());
  }

  @Test
  void theResolvedExperimentNamesTheTraceSoItRunsFromAnywhere() throws Exception {
    Path out = dir.resolve("out");
    CliTest.Outcome first = CliTest.memvirt("run", EXAMPLE.toString(), "--out", out.toString(), "--format", "csv");
    assertThat(first.code()).isZero();
    String resolved = java.nio.file.Files.readString(out.resolve("experiment.yaml"));
    Path trace = TraceCommandTest.SORT.toAbsolutePath().normalize();
    assertThat(resolved).contains("path: lackey:" + trace + "\n").contains("path: " + trace + "\n");
    // The resolved file sits in another folder: its trace paths still resolve.
    assertThat(CliTest.memvirt("run", out.resolve("experiment.yaml").toString(), "--format", "csv").out())
        .isEqualTo(first.out());
  }

  @Test
  void loopAndOffsetReplayTheTraceAgainElsewhere() {
    RunResult r = run("duration=60s", "vms[0].processes[0].workload.loop=true", "vms[0].processes[0].workload.accesses=6M",
        "vms[0].processes[0].workload.offset=0x100000000");
    assertThat(metric(r, "a", "accesses")).isEqualTo(6_000_000);
    // Looping touches no new page; the offset moves the pages, not their number.
    assertThat(metric(r, "a", "pf_guest")).isEqualTo(252);
    assertThat(metric(r, "b", "accesses")).isEqualTo(2_404_857);
  }
}
