package org.memvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memvirt.cli.CliTest.memvirt;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceCommandTest {
  /** The real trace shipped with the trace module's tests. */
  static final Path SORT = Path.of("../traces/sort.lackey.gz");
  static final String SORT_STATS = "2,404,405 records: 1,747,247 fetches (I), 412,631 loads (L), 238,437 stores (S), "
      + "6,090 modifies (M); 2,404,857 page accesses (452 cross a page); 252 distinct pages (125 with code)";

  @TempDir
  Path dir;

  @Test
  void statsAndConvertRoundTrip() {
    CliTest.Outcome stats = memvirt("trace", "stats", SORT.toString());
    assertThat(stats.code()).isZero();
    assertThat(stats.out()).isEqualTo(SORT + ": " + SORT_STATS + "\n");
    Path bin = dir.resolve("sort.mvt");
    CliTest.Outcome convert = memvirt("trace", "convert", "lackey:" + SORT, bin.toString());
    assertThat(convert.code()).isZero();
    assertThat(convert.out()).startsWith("converted 2,404,405 records: " + SORT).contains("-> " + bin);
    assertThat(memvirt("trace", "stats", bin.toString()).out()).isEqualTo(bin + ": " + SORT_STATS + "\n");
    Path text = dir.resolve("back.lackey.xz");
    assertThat(memvirt("trace", "convert", bin.toString(), text.toString()).code()).isZero();
    assertThat(memvirt("trace", "stats", text.toString()).out()).isEqualTo(text + ": " + SORT_STATS + "\n");
  }

  @Test
  void badTracesAreOneLine() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.lackey"), "I  1000,4\n L 20g0,8\n");
    CliTest.Outcome o = memvirt("trace", "stats", bad.toString());
    assertThat(o.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(o.err()).isEqualTo("memvirt: " + bad + ":2: malformed lackey record 'L 20g0,8': expected a hex address\n");
    CliTest.Outcome missing = memvirt("trace", "convert", dir.resolve("none.lackey").toString(), "x.mvt");
    assertThat(missing.err()).isEqualTo("memvirt: " + dir.resolve("none.lackey") + ": no such trace file\n");
    assertThat(dir.resolve("x.mvt")).doesNotExist();
  }

  @Test
  void recordRunsTheCommandUnderValgrindLackey() throws Exception {
    Path out = dir.resolve("true.lackey.gz");
    CliTest.Outcome o = memvirt("trace", "record", "--out", out.toString(), "--", "/bin/true", "--ignored");
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).startsWith("recorded " + out + " (");
    CliTest.Outcome stats = memvirt("trace", "stats", out.toString());
    // The dynamic loader alone runs tens of thousands of instructions.
    assertThat(stats.out()).containsPattern("[0-9,]{6,} records: [0-9,]{6,} fetches \\(I\\)");
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly("true.lackey.gz");
    }
  }

  @Test
  void recordingACommandThatCannotRunLeavesNoFile() throws Exception {
    Path out = dir.resolve("none.lackey.gz");
    CliTest.Outcome o = memvirt("trace", "record", "--out", out.toString(), "--", dir.resolve("no-such-command").toString());
    assertThat(o.code()).isEqualTo(Main.BAD_INPUT);
    // One line, memvirt's: valgrind is not started to print its own.
    assertThat(o.err()).isEqualTo("memvirt: " + dir.resolve("no-such-command") + ": no such program to trace\n");
    CliTest.Outcome onPath = memvirt("trace", "record", "--out", out.toString(), "--", "no-such-command-on-path");
    assertThat(onPath.err()).isEqualTo("memvirt: no-such-command-on-path: no such program on PATH to trace\n");
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void recordWithoutValgrindSaysHowToInstallIt() {
    String before = System.getProperty("memvirt.valgrind");
    System.setProperty("memvirt.valgrind", dir.resolve("no-valgrind-here").toString());
    try {
      CliTest.Outcome o = memvirt("trace", "record", "--", "/bin/true");
      assertThat(o.code()).isEqualTo(Main.BAD_INPUT);
      assertThat(o.err()).hasLineCount(1).startsWith("memvirt: valgrind is not installed")
          .contains("apt-get install valgrind");
    } finally {
      if (before == null) {
        System.clearProperty("memvirt.valgrind");
      } else {
        System.setProperty("memvirt.valgrind", before);
      }
    }
  }
}
