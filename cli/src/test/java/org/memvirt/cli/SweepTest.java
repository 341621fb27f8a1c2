package org.memvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memvirt.cli.CliTest.memvirt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memvirt.study.LocalExecutor;
import org.memvirt.study.SweepRun;
import org.memvirt.study.SweepStudy;

class SweepTest {
  @TempDir
  Path dir;

  static final String SWEEP = """
      name: sweep
      seed: 11
      duration: 5s
      host: {memory: 1GiB}
      mmu:
        type: [ept, shadow]
        tlb:
          l2: {entries: [512, 1536], ways: 4}
      vms:
        - name: web
          memory: 256MiB
          processes:
            - workload: {type: zipf, footprint: 64MiB, rate: 200K/s, accesses: 100K}
      """;

  Path file(String text) throws Exception {
    return Files.writeString(dir.resolve("sweep.yaml"), text);
  }

  @Test
  void listsMakeTheCrossProductWithTheSweptSettingsAsColumns() throws Exception {
    CliTest.Outcome o = memvirt("run", file(SWEEP).toString());
    assertThat(o.code()).isZero();
    assertThat(o.err()).isEmpty();
    List<String> lines = o.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("sweep of 4 points over mmu.type, mmu.tlb.l2.entries");
    assertThat(lines.get(1)).matches(
        "point +mmu.type +mmu.tlb.l2.entries +vm +accesses +tlb_l2_misses +walk_refs +pf_guest +exits +slowdown");
    assertThat(lines.subList(2, 6)).extracting(l -> l.trim().split(" +"))
        .extracting(c -> c[0] + " " + c[1] + " " + c[2] + " " + c[3] + " " + c[4])
        .containsExactly("0 ept 512 web 100,000", "1 ept 1536 web 100,000", "2 shadow 512 web 100,000",
            "3 shadow 1536 web 100,000");
    // Every point really ran with its settings: a larger TLB misses less; shadow paging exits more.
    long[] misses = lines.subList(2, 6).stream().mapToLong(l -> Long.parseLong(l.trim().split(" +")[5].replace(",", "")))
        .toArray();
    assertThat(misses[1]).isLessThan(misses[0]);
    assertThat(misses[3]).isLessThan(misses[2]);
  }

  @Test
  void aSweepIsReproducibleWhateverTheThreads() throws Exception {
    String f = file(SWEEP).toString();
    String parallel = memvirt("run", f, "--format", "csv", "--threads", "4").out();
    String sequential = memvirt("run", f, "--format", "csv", "--threads", "1").out();
    assertThat(parallel).isEqualTo(sequential);
    List<String> rows = parallel.lines().toList();
    assertThat(rows).hasSize(1 + 4);
    assertThat(rows.get(0)).startsWith("point,mmu.type,mmu.tlb.l2.entries,seed,partial,failure,vm,accesses,");
    // Each point has its own seed, derived from the experiment's.
    Set<String> seeds = rows.stream().skip(1).map(r -> r.split(",")[3]).collect(Collectors.toSet());
    assertThat(seeds).hasSize(4).doesNotContain("11");
    // A point run alone, from its resolved experiment, gives the sweep's numbers.
    Path out = dir.resolve("out");
    assertThat(memvirt("run", f, "--out", out.toString()).code()).isZero();
    String point2 = memvirt("run", out.resolve("points/2/experiment.yaml").toString(), "--format", "csv").out();
    java.util.Map<String, String> alone = csvRow(point2, 1);
    java.util.Map<String, String> inSweep = csvRow(parallel, 3);
    assertThat(inSweep).containsEntry("mmu.type", "shadow").containsEntry("mmu.tlb.l2.entries", "512");
    alone.forEach((k, v) -> assertThat(inSweep).containsEntry(k, v));
    assertThat(alone).hasSizeGreaterThan(30);
  }

  /** Row {@code index} of a CSV text, by column name (empty cells left out). */
  static java.util.Map<String, String> csvRow(String csv, int index) {
    String[] header = csv.lines().findFirst().orElseThrow().split(",");
    String[] row = csv.lines().skip(index).findFirst().orElseThrow().split(",", -1);
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < header.length; i++) {
      if (!row[i].isEmpty()) {
        out.put(header[i], row[i]);
      }
    }
    return out;
  }

  @Test
  void sharedSeedsAndSweptSeeds() throws Exception {
    String shared = memvirt("run", file(SWEEP + "sweep: {seeds: shared}\n").toString(), "--format", "csv").out();
    assertThat(shared.lines().skip(1).map(r -> r.split(",")[3])).containsOnly("11");
    String replications = memvirt("run", file(SWEEP.replace("seed: 11", "seed: [1, 2, 3]")
        .replace("[ept, shadow]", "ept").replace("[512, 1536]", "512")).toString(), "--format", "csv").out();
    assertThat(replications.lines().skip(1).map(r -> r.split(",")[0] + ":" + r.split(",")[2]))
        .containsExactly("0:1", "1:2", "2:3");
  }

  @Test
  void outWritesTheSweepCsvChartReportAndEachPoint() throws Exception {
    Path out = dir.resolve("out");
    CliTest.Outcome o = memvirt("run", file(SWEEP).toString(), "--out", out.toString(), "--chart", "tlb_l2_misses");
    assertThat(o.code()).isZero();
    assertThat(out.resolve("sweep.csv")).exists();
    assertThat(out.resolve("sweep-tlb_l2_misses.png")).exists();
    assertThat(out.resolve("report.html")).exists();
    assertThat(Files.readString(out.resolve("experiment.yaml"))).contains("type:\n    - ept\n    - shadow");
    for (int i = 0; i < 4; i++) {
      assertThat(out.resolve("points/" + i + "/summary.json")).exists();
      assertThat(out.resolve("points/" + i + "/report.html")).exists();
    }
    assertThat(Files.readString(out.resolve("points/3/experiment.yaml"))).contains("type: shadow")
        .contains("entries: 1536");
    javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.resolve("report.html").toFile());
  }

  @Test
  @org.junit.jupiter.api.Timeout(120) // a stop that is not honoured would run an hour
  void anInterruptedSweepStopsTheRunningPointAndSkipsTheRest() throws Exception {
    org.memvirt.engine.experiment.Sweep sweep = org.memvirt.engine.run.Experiments.parseSweep(
        SWEEP.replace("duration: 5s", "duration: 1h").replace(", accesses: 100K", ""), "sweep.yaml");
    Interruption interruption = new Interruption();
    Thread hook = new Thread(() -> interruption.deliver(new sun.misc.Signal("INT")));
    // Ctrl-C once the first point has run 100 ms of simulated time.
    SweepRun run = SweepStudy.run(sweep, new LocalExecutor(org.memvirt.engine.plugin.PluginRegistry.discover(), 1),
        interruption.stop(), (simulatedNanos, accesses) -> {
          if (simulatedNanos > 100_000_000L && hook.getState() == Thread.State.NEW) {
            hook.start();
          }
        });
    interruption.close();
    hook.join(10_000);
    assertThat(run.partial()).isTrue();
    assertThat(run.results().get(0).partial()).isTrue();
    assertThat(run.results().get(0).simulatedNanos()).isLessThan(3_600_000_000_000L);
    assertThat(run.results().subList(1, 4)).containsOnlyNulls();
    List<List<String>> rows = ResultTable.sweepRows(run, List.of("accesses"));
    assertThat(rows.get(1)).startsWith("0 (partial)", "ept", "512", "web");
    assertThat(rows.get(2)).containsExactly("1 (not run)", "ept", "1536", "-", "-");
    assertThat(ResultCsv.sweep(run).lines()).hasSize(2);
  }

  @Test
  void setCanSweepAndMistakesAreOneLine() throws Exception {
    Path f = dir.resolve("one.yaml");
    Files.writeString(f, SWEEP.replace("[ept, shadow]", "ept").replace("[512, 1536]", "512"));
    CliTest.Outcome o = memvirt("run", f.toString(), "--set", "mmu.type=[ept, shadow]", "--format", "csv");
    assertThat(o.out().lines()).hasSize(3);
    CliTest.Outcome twice = memvirt("run", file(SWEEP.replace("[512, 1536]", "[512, 512]")).toString());
    assertThat(twice.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(twice.err()).isEqualTo("memvirt: " + dir.resolve("sweep.yaml")
        + ":8: mmu.tlb.l2.entries: a swept setting lists '512' twice\n");
    CliTest.Outcome badValue = memvirt("run", file(SWEEP.replace("[512, 1536]", "[512, lots]")).toString());
    assertThat(badValue.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(badValue.err()).startsWith("memvirt: " + dir.resolve("sweep.yaml") + ":8: mmu.tlb.l2.entries: expected");
    CliTest.Outcome badChart = memvirt("run", file(SWEEP).toString(), "--chart", "nonsense");
    assertThat(badChart.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(badChart.err()).startsWith("memvirt: --chart nonsense: not a metric this sweep reports; known: ")
        .contains(" accesses, ");
    assertThat(memvirt("validate", file(SWEEP).toString()).out())
        .containsPattern(": ok \\(1 VM, mmu ept; a sweep of 4 points; needs about [0-9,]+ MiB of Java heap a run, "
            + "the JVM has [0-9,]+ MiB\\)\n$");
  }

  /** A point that fails (out of memory, or a value only its machine refuses) keeps the others' results. */
  @Test
  void aFailedPointIsReportedWithItsReasonAndTheOthersAreKept() throws Exception {
    Path f = dir.resolve("failing.yaml");
    Files.writeString(f, """
        duration: 200ms
        host: {memory: [64MiB, 8MiB]}
        reclaim: {balloon: {cap: [0.5, 1.5]}}
        vms:
          - {name: a, copies: 2, memory: 8MiB, processes: [{workload: {type: sequential, footprint: 6MiB, writes: 1, stride: 4KiB}}]}
        """);
    Path out = dir.resolve("out");
    CliTest.Outcome o = memvirt("run", f.toString(), "--format", "table", "--out", out.toString());
    assertThat(o.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(o.err()).isEqualTo("memvirt: 3 of 4 points failed (see the table and " + out + ")\n");
    assertThat(o.out()).contains("0 ", "1 (failed)", "2 (failed)", "3 (failed)",
        "point 1 failed: " + f + ":3: reclaim.balloon.cap: expected a fraction from 0 to 1, got '1.5'",
        "point 2 failed: host out of memory at ");
    assertThat(o.out().lines().filter(l -> l.startsWith("0 ")).toList()).hasSize(3)
        .allSatisfy(l -> assertThat(l).doesNotContain(" - "));
    String csv = Files.readString(out.resolve("sweep.csv"));
    assertThat(csv).startsWith("point,host.memory,reclaim.balloon.cap,seed,partial,failure,vm,")
        .contains("\n0,64MiB,0.5,").contains(",\"host out of memory at ");
    assertThat(Files.readString(out.resolve("report.html"))).contains("point 1 failed: ");
    assertThat(out.resolve("points/0/summary.json")).exists();
  }

  @Test
  void aSingleRunRefusesSweepOptionsAndAnOutFolderWithAnEarlierRunIsRefused() throws Exception {
    Path f = file(SWEEP.replace("[ept, shadow]", "ept").replace("[512, 1536]", "512"));
    CliTest.Outcome chart = memvirt("run", f.toString(), "--chart", "slowdown");
    assertThat(chart.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(chart.err()).startsWith("memvirt: --chart: applies to a sweep (a setting written as a list)");
    Path out = dir.resolve("earlier");
    assertThat(memvirt("run", f.toString(), "--out", out.toString()).code()).isZero();
    CliTest.Outcome again = memvirt("run", f.toString(), "--out", out.toString());
    assertThat(again.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(again.err()).startsWith("memvirt: --out " + out + ": holds an earlier run's files (summary.json, ")
        .endsWith("; remove them or choose another folder\n");
  }
}
