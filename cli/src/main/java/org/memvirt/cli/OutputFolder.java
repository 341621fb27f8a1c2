package org.memvirt.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.memvirt.api.BadInputException;
import org.memvirt.engine.sim.RunResult;

/**
 * What {@code --out DIR} holds. For a run: {@code summary.json}, {@code vms.csv},
 * {@code timeseries.csv}, {@code experiment.yaml} (as resolved), {@code memory-VM.png} per
 * VM, {@code events.png} and {@code report.html}. For a sweep: {@code sweep.csv},
 * {@code sweep-METRIC.png}, {@code experiment.yaml} (as written, lists included),
 * {@code report.html}, and a run's files for each point under {@code points/N/}. Every file
 * is written beside its place and moved in when complete: none is ever half-written.
 */
final class OutputFolder {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR));

  private final Path dir;
  private final Map<String, String> techniqueGauges;

  OutputFolder(Path dir, Map<String, String> techniqueGauges) {
    this.dir = dir;
    this.techniqueGauges = techniqueGauges;
  }

  /**
   * Creates the folder, or says in one line why it cannot be written. Memory charts also
   * draw {@code techniqueGauges} (the installed techniques' memory gauges, by name, with
   * their legends).
   */
  static OutputFolder create(Path dir, Map<String, String> techniqueGauges) throws IOException {
    // Never mix an earlier run's files with this one's: the reader could not tell them apart.
    List<String> earlier = new java.util.ArrayList<>();
    for (String name : List.of("summary.json", "sweep.csv", "report.html", "vms.csv", "timeseries.csv",
        "experiment.yaml", "points")) {
      if (Files.exists(dir.resolve(name), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        earlier.add(name);
      }
    }
    if (!earlier.isEmpty()) {
      throw new BadInputException("--out " + dir + ": holds an earlier run's files (" + String.join(", ", earlier)
          + "); remove them or choose another folder");
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new BadInputException("--out " + dir + ": cannot create the folder: " + e.getMessage());
    }
    if (!Files.isWritable(dir)) {
      throw new BadInputException("--out " + dir + ": the folder is not writable");
    }
    Charts.warmUp();
    return new OutputFolder(dir, techniqueGauges);
  }

  Path dir() {
    return dir;
  }

  void writeRun(RunResult r, Object resolvedExperiment) throws IOException {
    write("summary.json", ResultJson.render(r));
    write("vms.csv", ResultCsv.vms(r));
    write("timeseries.csv", ResultCsv.timeSeries(r));
    write("experiment.yaml", "# The experiment as it ran: every default filled in. `memvirt run` on this file\n"
        + "# repeats the run bit for bit.\n" + YAML.writeValueAsString(resolvedExperiment));
    HtmlReport html = new HtmlReport("memvirt: " + r.experiment());
    html.paragraph(ResultTable.header(r), r.partial() ? "partial" : null);
    html.table(ResultTable.rows(r));
    for (RunResult.VmResult v : r.vms()) {
      byte[] png = Charts.memory(r, v.name(), techniqueGauges);
      write("memory-" + fileName(v.name()) + ".png", png);
      html.heading("Memory of " + v.name()).image(png, "memory of " + v.name() + " over simulated time");
    }
    byte[] events = Charts.events(r);
    write("events.png", events);
    html.heading("Faults and exits").image(events, "cumulative faults and exits over simulated time");
    html.heading("Experiment").preformatted(YAML.writeValueAsString(resolvedExperiment));
    write("report.html", html.render());
  }

  void writeSweep(SweepRun sweep, Object asWritten, List<String> tableMetrics, String chartMetric)
      throws IOException {
    write("sweep.csv", ResultCsv.sweep(sweep));
    write("experiment.yaml", "# The experiment as written: each list is a swept setting. Each point's\n"
        + "# resolved experiment, with its own seed, is in points/N/experiment.yaml.\n"
        + YAML.writeValueAsString(asWritten));
    HtmlReport html = new HtmlReport("memvirt sweep: " + sweep.points().size() + " points");
    if (sweep.partial()) {
      html.paragraph("PARTIAL: interrupted; points marked partial or not run hold what was measured.", "partial");
    }
    for (String line : ResultTable.failures(sweep).lines().toList()) {
      html.paragraph(line, "partial");
    }
    html.table(ResultTable.sweepRows(sweep, tableMetrics));
    byte[] png = Charts.sweep(sweep, chartMetric);
    write("sweep-" + fileName(chartMetric) + ".png", png);
    html.heading(chartMetric + " by " + sweep.axes().get(0)).image(png, chartMetric + " by " + sweep.axes().get(0));
    Map<String, String> links = new LinkedHashMap<>();
    for (int i = 0; i < sweep.points().size(); i++) {
      if (sweep.results().get(i) != null) {
        links.put("points/" + i + "/report.html", "point " + i + ": " + sweep.points().get(i).label());
      }
    }
    html.heading("Points").links(links);
    write("report.html", html.render());
  }

  /** The folder of point {@code index} of a sweep. */
  OutputFolder point(int index) throws IOException {
    Path p = dir.resolve("points").resolve(Integer.toString(index));
    Files.createDirectories(p);
    return new OutputFolder(p, techniqueGauges);
  }

  private static String fileName(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_").toLowerCase(Locale.ROOT);
  }

  private void write(String name, String text) throws IOException {
    write(name, text.getBytes(StandardCharsets.UTF_8));
  }

  private void write(String name, byte[] bytes) throws IOException {
    Path target = dir.resolve(name);
    Path tmp = dir.resolve("." + name + ".part");
    try {
      Files.write(tmp, bytes);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
