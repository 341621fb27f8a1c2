package org.memvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --out} on a disk that fills part way: a tmpfs of 24 KiB of the test's own (mounted
 * as root, unmounted after), which takes the run's small files and refuses its first chart.
 * One line names the folder and the file, exit 2, the table still on stdout, and what was
 * written before says it is partial.
 */
class FullDiskTest {
  @TempDir
  Path dir;

  private Path disk;

  static final String SMALL = """
      duration: 2s
      host: {memory: 64MiB}
      vms:
        - {name: vm, memory: 16MiB, processes: [{workload: {type: uniform, footprint: 4MiB, writes: 0.5}}]}
      """;

  @BeforeEach
  void mountASmallDisk() throws Exception {
    disk = Files.createDirectory(dir.resolve("disk"));
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=24k", "memvirt-test", disk.toString())
        .redirectErrorStream(true).start();
    String said = new String(mount.getInputStream().readAllBytes()).trim();
    Assumptions.assumeTrue(mount.waitFor() == 0, "a full disk needs a tmpfs of the test's own, which only root may "
        + "mount; this run cannot (" + said + "): the full-disk case does not run here");
  }

  @AfterEach
  void unmount() throws Exception {
    if (disk != null) {
      new ProcessBuilder("umount", disk.toString()).start().waitFor();
    }
  }

  @Test
  void aFullDiskEndsInOneLineAndWhatWasWrittenSaysItIsPartial() throws Exception {
    Path file = Files.writeString(dir.resolve("small.yaml"), SMALL);
    Path out = disk.resolve("results");
    CliTest.Outcome o = CliTest.memvirt("run", file.toString(), "--out", out.toString());
    assertThat(o.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(o.err()).isEqualTo("memvirt: --out " + out + ": could not write host.png: No space left on device; "
        + "written before it and marked partial: summary.json, vms.csv, timeseries.csv\n");
    // The run's own outcome is printed whole.
    assertThat(o.out()).startsWith("experiment small  seed 1  mmu ept  simulated 2.000 s\n").contains("accesses");
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.at("/experiment/partial").asBoolean()).isTrue();
    assertThat(summary.at("/experiment/incomplete_output").asText())
        .isEqualTo("--out " + out + ": could not write host.png: No space left on device");
    assertThat(Files.readAllLines(out.resolve("vms.csv")).get(1)).startsWith("vm,true,");
    assertThat(Files.readAllLines(out.resolve("timeseries.csv")).get(1).split(",")[2]).isEqualTo("true");
    try (var files = Files.list(out)) {
      assertThat(files.map(f -> f.getFileName().toString()).sorted())
          .containsExactly("experiment.yaml", "summary.json", "timeseries.csv", "vms.csv");
    }
  }

  /** A run that stopped itself (the host out of memory) keeps its reason first in the one line. */
  @Test
  void aRunThatStoppedItselfKeepsItsReason() throws Exception {
    Path file = Files.writeString(dir.resolve("oom.yaml"), """
        duration: 2s
        host: {memory: 8MiB}
        vms:
          - {name: vm, copies: 2, memory: 8MiB, processes: [{workload: {type: uniform, footprint: 6MiB, writes: 1}}]}
        """);
    Path out = disk.resolve("results");
    CliTest.Outcome o = CliTest.memvirt("run", file.toString(), "--out", out.toString());
    assertThat(o.code()).isEqualTo(Main.BAD_INPUT);
    List<String> lines = o.err().lines().toList();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).startsWith("memvirt: host out of memory at ")
        .contains("; --out " + out + ": could not write host.png: No space left on device; written before it and "
            + "marked partial: summary.json, vms.csv, timeseries.csv");
    assertThat(new ObjectMapper().readTree(out.resolve("summary.json").toFile()).at("/experiment/failure").asText())
        .startsWith("host out of memory at ");
    assertThat(o.out()).contains("PARTIAL (stopped: out of memory)");
  }
}
