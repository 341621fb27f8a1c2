package org.memvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CliTest {
  @TempDir
  Path dir;

  record Outcome(int code, String out, String err) {}

  static Outcome memvirt(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Outcome(code, out.toString(), err.toString());
  }

  private static final String GOOD = """
      name: small
      seed: 3
      duration: 1s
      host:
        memory: 1GiB
      vms:
        - name: web
          memory: 256MiB
          processes:
            - workload: {type: zipf, footprint: 64MiB, rate: 200K/s}
        - name: batch
          memory: 256MiB
          processes:
            - workload: {type: sequential, footprint: 128MiB, rate: 200K/s}
      """;

  @Test
  void runPrintsTheTableWithEveryStableMetric() throws Exception {
    Path f = dir.resolve("small.yaml");
    Files.writeString(f, GOOD);
    Outcome o = memvirt("run", f.toString());
    assertThat(o.code()).isZero();
    assertThat(o.err()).isEmpty();
    assertThat(o.out()).startsWith("experiment small  seed 3  mmu ept  simulated 1.000 s");
    for (String m : new String[] {"accesses", "tlb_l1i_misses", "tlb_l1d_misses", "tlb_l2_misses", "walks",
        "walk_refs", "walk_refs_guest", "walk_refs_nested", "pf_guest", "ept_violations", "exits",
        "guest_swap_outs", "guest_swap_ins", "frames_zeroed", "cycles", "native_cycles", "slowdown"}) {
      assertThat(o.out()).containsPattern("(?m)^" + m + " +[0-9,.]+ +[0-9,.]+ +[0-9,.]+$");
    }
  }

  @Test
  void sameExperimentAndSeedGiveIdenticalJson() {
    Outcome a = memvirt("run", "--json", "--set", "duration=2s");
    Outcome b = memvirt("run", "--json", "--set", "duration=2s");
    assertThat(a.code()).isZero();
    assertThat(a.out()).isEqualTo(b.out());
    assertThat(a.out()).contains("\"experiment\" : {", "\"host\" : {", "\"vms\" : [", "\"name\" : \"web\"",
        "\"slowdown\" : ");
    Outcome c = memvirt("run", "--json", "--set", "duration=2s", "--set", "seed=43");
    assertThat(c.out()).isNotEqualTo(a.out());
  }

  @Test
  void setAddressesTheSameKeysAsTheFile() {
    Outcome o = memvirt("run", "--json", "--set", "duration=1s", "--set", "vms[1].memory=1GiB", "--set",
        "mmu.tlb.l2.entries=512", "--set", "mmu.tlb.l2.ways=8");
    assertThat(o.code()).isZero();
    Outcome base = memvirt("run", "--json", "--set", "duration=1s");
    assertThat(o.out()).isNotEqualTo(base.out());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "unknown key|'    colour: red'|bad.yaml:8: vms[0].colour: unknown key; known here: copies, name, memory, shares, min, max, levels, vcpus, guest, processes",
    "wrong unit|'    min: 12XB'|bad.yaml:8: vms[0].min: expected a size like 4096, 512MiB or 4GiB, got '12XB'",
    "negative memory|'    shares: 5'|bad.yaml:7: vms[0].memory: expected a positive size like 512MiB, got '-1GiB', which is negative",
    "negative limit|'    max: -1GiB'|bad.yaml:8: vms[0].max: expected a size that is not negative, like 512MiB, got '-1GiB'",
    "larger than the host|'    shares: 5'|bad.yaml:7: vms[0].memory: expected at most host.memory (1GiB), got '2GiB'",
    "reservation above memory|'    min: 4GiB'|bad.yaml:8: vms[0].min: expected a reservation from 0 to the VM's memory (2GiB), got '4GiB'",
    "negative count|'    vcpus: -2'|bad.yaml:8: vms[0].vcpus: expected a whole number like 1000 or 10M, got '-2', which is negative",
    "decimal size|'    shares: 5'|bad.yaml:7: vms[0].memory: expected a whole number of 4 KiB pages (1GB is decimal, powers of 1000; write 1GiB for powers of 1024), got '1GB'",
  })
  void badFilesGiveOneLineNamingFileAndKey(String what, String extraLine, String expected) throws Exception {
    String yaml = """
        name: bad
        host:
          memory: 1GiB
        vms:
          - name: a
            processes: [{workload: {type: zipf}}]
            memory: %s
        %s
        """.formatted(what.equals("larger than the host") || what.equals("reservation above memory") ? "2GiB"
            : what.equals("negative memory") ? "-1GiB" : what.equals("decimal size") ? "1GB" : "512MiB", extraLine);
    if (what.equals("reservation above memory")) {
      yaml = yaml.replace("host:\n  memory: 1GiB", "host:\n  memory: 8GiB");
    }
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, yaml);
    Outcome o = memvirt("run", f.toString());
    assertThat(o.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(o.out()).isEmpty();
    assertThat(o.err()).isEqualTo("memvirt: " + f.getParent() + "/" + expected + System.lineSeparator());
  }

  @Test
  void aMissingFileIsOneLine() {
    Outcome o = memvirt("run", dir.resolve("none.yaml").toString());
    assertThat(o.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(o.err()).isEqualTo("memvirt: " + dir.resolve("none.yaml") + ": no such experiment file"
        + System.lineSeparator());
  }

  @Test
  void debugShowsTheStackTrace() {
    Outcome o = memvirt("run", "--debug", dir.resolve("none.yaml").toString());
    assertThat(o.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(o.err()).contains("ExperimentException", "\tat ");
  }

  @Test
  void validateChecksWithoutRunning() throws Exception {
    Path f = dir.resolve("small.yaml");
    Files.writeString(f, GOOD);
    assertThat(memvirt("validate", f.toString()).out()).matches(java.util.regex.Pattern.quote(f.toString())
        + ": ok \\(2 VMs, mmu ept; needs about [0-9,]+ MiB of Java heap, the JVM has [0-9,]+ MiB\\)\n");
    Files.writeString(f, GOOD.replace("rate: 200K/s}", "rate: 200K/s, skew: -1}"));
    Outcome o = memvirt("validate", f.toString());
    assertThat(o.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(o.err()).isEqualTo("memvirt: " + f + ":10: vms[0].processes[0].workload.skew: expected a positive "
        + "exponent, e.g. 0.99, got '-1'" + System.lineSeparator());
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"pt-update-heavy.yaml", "tlb-miss-heavy.yaml",
      "trace-sort.yaml", "tlb-sweep.yaml"})
  void everyExampleIsValid(String example) {
    Outcome o = memvirt("validate", Path.of("..", "examples", example).toString());
    assertThat(o.err()).isEmpty();
    assertThat(o.code()).isZero();
  }

  @Test
  void theReferenceExperimentIsValid() {
    Path reference = Path.of("..", "docs", "experiment-reference.yaml");
    Outcome o = memvirt("validate", reference.toString());
    assertThat(o.err()).isEmpty();
    assertThat(o.code()).isZero();
  }

  @Test
  void pluginsListsWhatWasFoundAndFailsWhenAJarWasRefused() throws Exception {
    Outcome fine = memvirt("plugins", "--plugins", dir.toString());
    assertThat(fine.code()).isZero();
    assertThat(fine.out()).contains("mmu-ept", "mmu:ept", "workloads", "workload:zipf");
    Files.writeString(dir.resolve("junk.jar"), "junk");
    Files.writeString(dir.resolve("notes.txt"), "plugins go here");
    Outcome o = memvirt("plugins", "--plugins", dir.toString());
    assertThat(o.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(o.out()).contains("mmu-ept", "mmu:ept", "workloads", "workload:zipf",
        "refused: " + dir.resolve("junk.jar") + ": not a readable jar",
        "refused: " + dir.resolve("notes.txt") + ": not a jar (a plugins folder holds .jar files and folders of them)");
  }

  @Test
  void aPluginsFolderThatIsNotThereIsOneLine() throws Exception {
    Outcome o = memvirt("plugins", "--plugins", dir.resolve("nowhere").toString());
    assertThat(o.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(o.err()).isEqualTo("memvirt: --plugins " + dir.resolve("nowhere") + ": no such folder"
        + System.lineSeparator());
    Files.writeString(dir.resolve("file"), "");
    Outcome f = memvirt("run", "--plugins", dir.resolve("file").toString());
    assertThat(f.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(f.err()).startsWith("memvirt: --plugins " + dir.resolve("file") + ": not a folder");
  }

  @Test
  void everyCommandsHelpListsTheExitCodes() {
    for (String[] cmd : List.of(new String[] {"--help"}, new String[] {"run", "--help"},
        new String[] {"plugins", "--help"}, new String[] {"trace", "convert", "--help"})) {
      Outcome o = memvirt(cmd);
      assertThat(o.code()).isZero();
      assertThat(o.out()).contains("Exit codes:", "  2     bad input", "  130   interrupted", "  143   stopped by SIGTERM");
    }
    Outcome completion = memvirt("generate-completion");
    assertThat(completion.code()).isZero();
    assertThat(completion.out()).contains("# memvirt Bash Completion", "_complete_memvirt");
  }

  @Test
  void unknownOptionsAreBadInput() {
    Outcome o = memvirt("run", "--colour");
    assertThat(o.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(o.err()).startsWith("memvirt: Unknown option: '--colour'");
  }
}
