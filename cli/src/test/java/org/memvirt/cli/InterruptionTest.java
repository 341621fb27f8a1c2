package org.memvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.report.RunResult;
import org.memvirt.engine.run.Experiments;
import org.memvirt.engine.run.Simulation;
import picocli.CommandLine;

/**
 * Runs and searches stopped part way: by the library's stop, by a signal delivered in the
 * process, and by real SIGTERM and SIGINT sent to a memvirt process. Each keeps what it
 * measured, marked partial, and exits with 128 + the signal's number.
 */
class InterruptionTest {
  @TempDir
  Path dir;

  static final String LONG_RUN = """
      name: long
      duration: 1h
      host: {memory: 1GiB}
      vms:
        - name: web
          memory: 256MiB
          processes:
            - workload: {type: zipf, footprint: 64MiB, rate: 1M/s}
      """;

  @Test
  @org.junit.jupiter.api.Timeout(120) // a stop that is not honoured would run an hour
  void aStoppedRunReportsWhatItMeasuredMarkedPartial() {
    Simulation sim = new Simulation(Experiments.parse(LONG_RUN, "long.yaml"), PluginRegistry.discover());
    sim.onProgress((now, accesses) -> {
      if (now >= 2_000_000_000L) {
        sim.requestStop();
      }
    });
    RunResult r = sim.run();
    assertThat(r.partial()).isTrue();
    assertThat(r.simulatedNanos()).isBetween(2_000_000_000L, 3_000_000_000L);
    assertThat(r.durationNanos()).isEqualTo(3_600_000_000_000L);
    // The figures cover exactly the time reached: one access per microsecond natively, each
    // stalled by what virtualization adds.
    long accesses = r.vm("web").metrics().get("accesses").longValue();
    assertThat(r.vm("web").metrics().get("native_elapsed_ns").longValue()).isEqualTo(accesses * 1000);
    assertThat(r.vm("web").metrics().get("elapsed_ns").longValue()).isCloseTo(r.simulatedNanos(),
        org.assertj.core.data.Offset.offset(100_000L));
    RunResult.Sample last = r.timeSeries().get(r.timeSeries().size() - 1);
    assertThat(last.timeNanos()).isEqualTo(r.simulatedNanos());
  }

  @Test
  void sigtermWritesThePartialResultsAndExits143() throws Exception {
    stopARunWith("TERM", 143);
  }

  @Test
  void sigintWritesThePartialResultsAndExits130() throws Exception {
    stopARunWith("INT", 130);
  }

  private void stopARunWith(String signal, int code) throws Exception {
    Path file = Files.writeString(dir.resolve("long.yaml"), LONG_RUN);
    Path out = dir.resolve("out");
    Process p = memvirt(signal, List.of("run", file.toString(), "--out", out.toString(), "--format", "json"));
    try {
      // The folder is made only when there are results; the run is under way once the process
      // has spent a few seconds of CPU (starting the JVM and finding the plugins takes about one).
      awaitCpuSeconds(p, 4);
      assertThat(out).doesNotExist();
      kill(signal, p);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
    assertThat(p.exitValue()).isEqualTo(code);
    assertThat(Files.readString(dir.resolve("stderr"))).isEqualTo("memvirt: stopped by SIG" + signal
        + "; the results so far are marked partial and written to " + out + "\n");
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.at("/experiment/partial").asBoolean()).isTrue();
    long simulated = summary.at("/experiment/simulated_ns").asLong();
    assertThat(simulated).isPositive().isLessThan(3_600_000_000_000L);
    assertThat(Files.readString(dir.resolve("stdout"))).isEqualTo(Files.readString(out.resolve("summary.json")));
    for (String f : List.of("vms.csv", "timeseries.csv", "experiment.yaml", "host.png", "events.png", "report.html")) {
      assertThat(out.resolve(f)).isNotEmptyFile();
    }
    // Every file that can say so says it is partial.
    assertThat(Files.readAllLines(out.resolve("vms.csv")).get(1)).startsWith("web,true,");
    assertThat(Files.readAllLines(out.resolve("timeseries.csv")).stream().skip(1))
        .isNotEmpty().allMatch(line -> line.split(",")[2].equals("true"));
    assertThat(Files.readString(out.resolve("report.html"))).contains("PARTIAL (interrupted)");
    try (var files = Files.list(out)) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
    }
  }

  /** A search stopped by SIGTERM in its first count: it says so, writes its (empty) table marked partial, exits 143. */
  @Test
  void sigtermStopsAFitAndKeepsWhatItDecided() throws Exception {
    Path file = Files.writeString(dir.resolve("long.yaml"), LONG_RUN);
    Path out = dir.resolve("fit");
    Process p = memvirt("TERM", List.of("fit", file.toString(), "--objective", "slowdown<=100", "--out",
        out.toString()));
    try {
      awaitCpuSeconds(p, 4);
      kill("TERM", p);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
    assertThat(p.exitValue()).isEqualTo(143);
    assertThat(Files.readString(dir.resolve("stdout")))
        .isEqualTo("fit: stopped by SIGTERM before the search ended, with no count decided\n");
    assertThat(Files.readString(dir.resolve("stderr"))).isEqualTo("memvirt: stopped by SIGTERM; the counts decided "
        + "so far are printed and written to " + out + ", marked partial\n");
    assertThat(Files.readString(out.resolve("fit.csv"))).isEqualTo("copies,meets,slowdown,worst_at,failure,partial\n");
    assertThat(out.resolve("fit.png")).isNotEmptyFile();
  }

  /** A benchmark stopped in its first run reports nothing of that run, says so, and exits 143. */
  @Test
  void sigtermStopsABenchmark() throws Exception {
    Process p = memvirt("TERM", List.of("bench", "--scale", "100"));
    try {
      awaitCpuSeconds(p, 4);
      kill("TERM", p);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
    assertThat(p.exitValue()).isEqualTo(143);
    assertThat(Files.readString(dir.resolve("stdout"))).isEmpty();
    assertThat(Files.readString(dir.resolve("stderr")))
        .isEqualTo("memvirt: stopped by SIGTERM; the benchmarks that finished are printed\n");
  }

  /** A recording stopped by SIGTERM stops the traced program and leaves no trace, nor its temporary files. */
  @Test
  void sigtermStopsARecordingAndLeavesNothing() throws Exception {
    Assumptions.assumeTrue(new ProcessBuilder("sh", "-c", "command -v valgrind").start().waitFor() == 0,
        "valgrind is not installed: the recording case cannot run here");
    Path folder = Files.createDirectory(dir.resolve("traces"));
    Path trace = folder.resolve("sleep.lackey.gz");
    Process p = memvirt("TERM", List.of("trace", "record", "--out", trace.toString(), "--", "sleep", "60"));
    try {
      // valgrind has started the program once its log file is there.
      for (int i = 0; i < 300 && folderIsEmpty(folder); i++) {
        Thread.sleep(100);
      }
      Thread.sleep(500);
      kill("TERM", p);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
    assertThat(p.exitValue()).isEqualTo(143);
    assertThat(Files.readString(dir.resolve("stderr"))).endsWith("memvirt: stopped by SIGTERM; " + trace
        + " not written (a trace cut short would not say that it is)\n");
    assertThat(folderIsEmpty(folder)).isTrue();
    // The traced program went with it.
    Process pgrep = new ProcessBuilder("pgrep", "-f", "lackey.*sleep 60").start();
    assertThat(pgrep.waitFor()).isEqualTo(1);
  }

  private static boolean folderIsEmpty(Path folder) throws java.io.IOException {
    try (var files = Files.list(folder)) {
      return files.findAny().isEmpty();
    }
  }

  /**
   * A signal after the search decided counts 1 and 2 (delivered in the process, so exactly
   * there): what was decided is printed and written, each row marked partial.
   */
  @Test
  void aStoppedSearchKeepsTheCountsItDecided() throws Exception {
    Path file = Files.writeString(dir.resolve("fit.yaml"), """
        duration: 200ms
        host: {memory: 1GiB}
        vms:
          - name: web
            memory: 16MiB
            processes: [{workload: {type: sequential, footprint: 4MiB, writes: 1, stride: 4KiB, rate: 1M/s}}]
        """);
    Path out = dir.resolve("out");
    Interruption interruption = new Interruption();
    FitCommand fit = new FitCommand();
    fit.signals = () -> interruption;
    fit.decided = p -> {
      if (p.vms() == 2) {
        interruption.deliver(new sun.misc.Signal("TERM"));
      }
    };
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    CommandLine cli = new CommandLine(fit);
    cli.setOut(new PrintWriter(stdout, true));
    cli.setErr(new PrintWriter(stderr, true));
    int code = cli.execute(file.toString(), "--objective", "accesses>=1", "--out", out.toString(), "--threads", "1");
    assertThat(code).isEqualTo(143);
    assertThat(stdout.toString()).startsWith("fit: stopped by SIGTERM before the search ended\n"
        + "so far: 2 copies of the first VM meet accesses >= 1 (worst web-").endsWith("tried: 1 2\n");
    assertThat(stderr.toString()).isEqualTo("memvirt: stopped by SIGTERM; the counts decided so far are printed and "
        + "written to " + out + ", marked partial\n");
    List<String> csv = Files.readAllLines(out.resolve("fit.csv"));
    assertThat(csv).hasSize(3);
    assertThat(csv.get(1)).startsWith("1,true,").endsWith(",true");
    assertThat(csv.get(2)).startsWith("2,true,").endsWith(",true");
  }

  /**
   * A memvirt process of its own, its output in the test's folder. With {@code signal} INT
   * the process must be able to receive it: a test JVM started in the background or under
   * nohup passes SIGINT on ignored, and a process started so keeps ignoring it, as Unix
   * tools do; {@code env --default-signal} gives it back its default when that is so.
   */
  private Process memvirt(String signal, List<String> args) throws Exception {
    List<String> argv = new ArrayList<>();
    if (ignored(signal)) {
      Assumptions.assumeTrue(new ProcessBuilder("env", "--default-signal=" + signal, "true").start().waitFor() == 0,
          "SIG" + signal + " is ignored in this test JVM (started in the background or under nohup) and this "
              + "machine's env has no --default-signal to give it back: the SIG" + signal + " case cannot run here");
      argv.addAll(List.of("env", "--default-signal=" + signal));
    }
    argv.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), Main.class.getName()));
    argv.addAll(args);
    return new ProcessBuilder(argv).redirectOutput(dir.resolve("stdout").toFile())
        .redirectError(dir.resolve("stderr").toFile()).start();
  }

  /** Whether this JVM ignores {@code signal} (its children inherit that): SigIgn in /proc/self/status. */
  private static boolean ignored(String signal) throws Exception {
    int number = new sun.misc.Signal(signal).getNumber();
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring(7).trim(), 16) >>> (number - 1) & 1) == 1;
      }
    }
    return false;
  }

  private static void kill(String signal, Process p) throws Exception {
    assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor()).isZero();
  }

  /** Waits until {@code p} has spent {@code seconds} of CPU (its JVM started, its run under way). */
  private static void awaitCpuSeconds(Process p, double seconds) throws Exception {
    for (int i = 0; i < 1200 && cpuSeconds(p.pid()) < seconds; i++) {
      Thread.sleep(100);
    }
    assertThat(cpuSeconds(p.pid())).isGreaterThanOrEqualTo(seconds);
  }

  /** CPU time a process has used, from /proc (user + system, in clock ticks of 1/100 s). */
  private static double cpuSeconds(long pid) throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // After the command name: state is field 3, utime 14 and stime 15 (1-based, as in proc(5)).
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
  }
}
