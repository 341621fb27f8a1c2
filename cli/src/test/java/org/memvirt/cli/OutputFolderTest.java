package org.memvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memvirt.cli.CliTest.memvirt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class OutputFolderTest {
  @TempDir
  Path dir;

  static final String EXPERIMENT = """
      name: small
      seed: 3
      duration: 3s
      host: {memory: 1GiB}
      vms:
        - name: web
          memory: 256MiB
          processes:
            - workload: {type: zipf, footprint: 64MiB, rate: 100K/s}
        - name: batch
          memory: 256MiB
          processes:
            - workload: {type: sequential, footprint: 128MiB, rate: 100K/s}
      """;

  Path experiment() throws Exception {
    return Files.writeString(dir.resolve("small.yaml"), EXPERIMENT);
  }

  /** Results follow the umask as any file a tool writes (they used to be 0600 whatever it was). */
  @Test
  void filesFollowTheUmask() throws Exception {
    Path out = dir.resolve("out");
    Path trace = dir.resolve("sort.mvt");
    String jvm = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    Process p = new ProcessBuilder("sh", "-c", "umask 027 && \"$0\" -cp \"$1\" org.memvirt.cli.Main run \"$2\" --out \"$3\" "
        + "&& \"$0\" -cp \"$1\" org.memvirt.cli.Main trace convert ../traces/sort.lackey.gz \"$4\"", jvm, cp,
        experiment().toString(), out.toString(), trace.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("log").toFile()).start();
    assertThat(p.waitFor()).as(Files.readString(dir.resolve("log"))).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
        .isEqualTo("rwxr-x---");
    try (var files = Files.list(out)) {
      assertThat(files.map(f -> {
        try {
          return PosixFilePermissions.toString(Files.getPosixFilePermissions(f));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).distinct()).containsExactly("rw-r-----");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(trace)))
        .isEqualTo("rw-r-----");
  }

  @Test
  void outWritesEveryFileAndTheyAgreeWithStdout() throws Exception {
    Path out = dir.resolve("out");
    CliTest.Outcome run = memvirt("run", experiment().toString(), "--out", out.toString(), "--format", "json");
    assertThat(run.code()).isZero();
    assertThat(run.err()).isEmpty();
    try (var files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("summary.json", "vms.csv",
          "timeseries.csv", "experiment.yaml", "host.png", "memory-web.png", "memory-batch.png", "rates.png",
          "performance.png", "events.png", "report.html");
    }
    // summary.json is the --json document.
    assertThat(Files.readString(out.resolve("summary.json"))).isEqualTo(run.out());
    JsonNode summary = new ObjectMapper().readTree(run.out());
    assertThat(summary.at("/experiment/partial").asBoolean()).isFalse();
    // Closed-loop time: the accesses run at 100K/s natively, stalled under virtualization.
    long accesses = summary.at("/vms/0/metrics/accesses").asLong();
    assertThat(summary.at("/vms/0/metrics/native_elapsed_ns").asLong()).isEqualTo(accesses * 10_000);
    assertThat(summary.at("/vms/0/metrics/elapsed_ns").asLong()).isBetween(3_000_000_000L, 3_010_000_000L);

    // vms.csv: a header and one row per VM, every metric, equal to --format csv.
    List<String> vms = Files.readAllLines(out.resolve("vms.csv"));
    assertThat(vms).hasSize(3);
    assertThat(vms.get(0)).startsWith("vm,partial,accesses,").contains(",slowdown,");
    assertThat(vms.get(1)).startsWith("web,false," + accesses + ",");
    assertThat(vms.get(2)).startsWith("batch,false," + summary.at("/vms/1/metrics/accesses").asLong() + ",");
    assertThat(vms).allSatisfy(l -> assertThat(l.split(",", -1)).hasSameSizeAs(vms.get(0).split(",")));
    assertThat(memvirt("run", experiment().toString(), "--format", "csv").out())
        .isEqualTo(Files.readString(out.resolve("vms.csv")));

    // timeseries.csv: a row per sample (0, 1, 2, 3 s) per VM, only metrics that change.
    List<String> series = Files.readAllLines(out.resolve("timeseries.csv"));
    assertThat(series).hasSize(1 + 4 * 2);
    assertThat(series.get(0)).startsWith("time_s,vm,partial,accesses,").contains(",consumed,").doesNotContain("SZTGT");
    assertThat(series.get(1)).startsWith("0,web,false,0,");
    assertThat(series.get(8)).startsWith("3,batch,false," + summary.at("/vms/1/metrics/accesses").asLong() + ",");

    // The resolved experiment names the defaults, and running it gives the same numbers.
    String resolved = Files.readString(out.resolve("experiment.yaml"));
    assertThat(resolved).contains("l2:\n      entries: 1536\n      ways: 12").contains("replacement: clock")
        .contains("skew: 0.99").contains("vm_exit: 1200");
    Path again = Files.writeString(dir.resolve("again.yaml"), resolved);
    assertThat(memvirt("run", again.toString(), "--format", "csv").out())
        .isEqualTo(Files.readString(out.resolve("vms.csv")));

    // Charts are PNG images of the size drawn.
    for (String png : List.of("host.png", "memory-web.png", "memory-batch.png", "rates.png", "performance.png",
        "events.png")) {
      BufferedImage image = ImageIO.read(out.resolve(png).toFile());
      assertThat(image.getWidth()).isEqualTo(Plot.WIDTH);
      assertThat(image.getHeight()).isEqualTo(Plot.HEIGHT);
    }

    // report.html is well-formed, self-contained, with the table and the six charts inline.
    Document html = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.resolve("report.html").toFile());
    assertThat(html.getElementsByTagName("table").getLength()).isEqualTo(1);
    // A row per metric of the VMs, then one per gauge of the host alone.
    java.util.Set<String> rows = new java.util.LinkedHashSet<>(List.of(vms.get(0).split(",")).subList(2,
        vms.get(0).split(",").length));
    summary.at("/host").fieldNames().forEachRemaining(rows::add);
    assertThat(html.getElementsByTagName("tr").getLength()).isEqualTo(1 + rows.size());
    NodeList images = html.getElementsByTagName("img");
    assertThat(images.getLength()).isEqualTo(6);
    for (int i = 0; i < images.getLength(); i++) {
      String src = images.item(i).getAttributes().getNamedItem("src").getNodeValue();
      assertThat(src).startsWith("data:image/png;base64,");
      byte[] bytes = Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1));
      assertThat(ImageIO.read(new ByteArrayInputStream(bytes))).isNotNull();
    }
    // Nothing to fetch: readable offline.
    assertThat(Files.readString(out.resolve("report.html"))).doesNotContain("src=\"http", "href=\"http");
  }

  @Test
  void formatChoosesWhatGoesToStdout() throws Exception {
    String file = experiment().toString();
    assertThat(memvirt("run", file, "--format", "table").out()).startsWith("experiment small  seed 3");
    assertThat(memvirt("run", file, "--format", "csv").out()).startsWith("vm,partial,accesses,");
    assertThat(memvirt("run", file, "--format", "json").out()).isEqualTo(memvirt("run", file, "--json").out());
    CliTest.Outcome bad = memvirt("run", file, "--format", "xml");
    assertThat(bad.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(bad.err()).startsWith("memvirt: Invalid value for option '--format'");
  }

  /** Bad input that shows only while running: what was measured is written, marked partial, then one line. */
  @Test
  void aRunThatFailsMidwayWritesWhatItMeasuredMarkedPartial() throws Exception {
    Path f = Files.writeString(dir.resolve("full.yaml"), """
        duration: 10s
        vms:
          - {name: vm, memory: 4MiB, processes: [{workload: {type: uniform, footprint: 8MiB, writes: 1}}]}
        """);
    Path out = dir.resolve("out");
    CliTest.Outcome o = memvirt("run", f.toString(), "--out", out.toString());
    assertThat(o.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(o.err()).isEqualTo("memvirt: vm vm: guest swap device full (1024 pages); raise vms[0].guest.swap or "
        + "lower the footprint" + System.lineSeparator());
    assertThat(o.out()).startsWith("experiment full  seed 1  mmu ept  simulated ").contains("PARTIAL (stopped: vm vm: "
        + "guest swap device full");
    assertThat(Files.readString(out.resolve("report.html"))).contains("PARTIAL (stopped: vm vm: guest swap device full");
    assertThat(new ObjectMapper().readTree(out.resolve("summary.json").toFile()).at("/experiment/partial").asBoolean())
        .isTrue();
  }

  @Test
  void anUnwritableOutFolderIsOneLine() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    CliTest.Outcome o = memvirt("run", experiment().toString(), "--out", file.resolve("sub").toString());
    assertThat(o.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(o.err()).isEqualTo("memvirt: --out " + file.resolve("sub") + ": cannot be made: " + file
        + " is not a folder" + System.lineSeparator());
    // Nothing was made.
    assertThat(Files.readString(file)).isEqualTo("x");
  }
}
