package org.memvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.sim.Experiments;
import org.memvirt.engine.sim.RunResult;
import org.memvirt.engine.sim.Simulation;

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

  /** CPU time a process has used, from /proc (user + system, in clock ticks of 1/100 s). */
  private static double cpuSeconds(long pid) throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // After the command name: state is field 3, utime 14 and stime 15 (1-based, as in proc(5)).
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
  }

  @Test
  void ctrlCWritesThePartialResults() throws Exception {
    Path file = Files.writeString(dir.resolve("long.yaml"), LONG_RUN);
    Path out = dir.resolve("out");
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", file.toString(),
        "--out", out.toString(), "--format", "json"))
        .redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile()).start();
    try {
      // The folder is made only when there are results; the run is under way once the process
      // has spent a few seconds of CPU (starting the JVM and finding the plugins takes about one).
      for (int i = 0; i < 1200 && cpuSeconds(p.pid()) < 4; i++) {
        Thread.sleep(100);
      }
      assertThat(cpuSeconds(p.pid())).isGreaterThanOrEqualTo(4);
      assertThat(out).doesNotExist();
      new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
    assertThat(p.exitValue()).isEqualTo(RunCommand.INTERRUPTED);
    assertThat(Files.readString(dir.resolve("stderr")))
        .isEqualTo("memvirt: interrupted; the results so far are marked partial and written to " + out + "\n");
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.at("/experiment/partial").asBoolean()).isTrue();
    long simulated = summary.at("/experiment/simulated_ns").asLong();
    assertThat(simulated).isPositive().isLessThan(3_600_000_000_000L);
    assertThat(Files.readString(dir.resolve("stdout"))).isEqualTo(Files.readString(out.resolve("summary.json")));
    for (String f : List.of("vms.csv", "timeseries.csv", "experiment.yaml", "host.png", "events.png", "report.html")) {
      assertThat(out.resolve(f)).isNotEmptyFile();
    }
    assertThat(Files.readString(out.resolve("report.html"))).contains("PARTIAL (interrupted)");
    try (var files = Files.list(out)) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
    }
  }
}
