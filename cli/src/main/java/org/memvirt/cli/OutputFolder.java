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
 * {@code timeseries.csv}, {@code experiment.yaml} (as resolved), {@code host.png},
 * {@code memory-VM.png} per VM, {@code rates.png}, {@code performance.png},
 * {@code events.png} and {@code report.html}. For a sweep: {@code sweep.csv},
 * {@code replications.csv} (with seed swept), {@code sweep-METRIC.png} per charted metric,
 * {@code experiment.yaml} (as written, lists included),
 * {@code report.html}, and a run's files for each point under {@code points/N/}. Every file
 * is written beside its place and moved in when complete: none is ever half-written.
 */
final class OutputFolder {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR));

  private final Path dir;
  private final RunCharts.Catalog catalog;

  OutputFolder(Path dir, RunCharts.Catalog catalog) {
    this.dir = dir;
    this.catalog = catalog;
  }

  /**
   * Creates the folder, or says in one line why it cannot be written. The charts also draw
   * what {@code catalog} lists of the installed techniques' gauges and counters.
   */
  static OutputFolder create(Path dir, RunCharts.Catalog catalog) throws IOException {
    // Never mix an earlier run's files with this one's: the reader could not tell them apart.
    List<String> earlier = new java.util.ArrayList<>();
    for (String name : List.of("summary.json", "sweep.csv", "report.html", "vms.csv", "timeseries.csv",
        "experiment.yaml", "points", "fit.csv", "fit.png", "scaling.csv", "scaling-accesses.png", "scaling-vms.png")) {
      if (Files.exists(dir.resolve(name), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        earlier.add(name);
      }
    }
    if (!earlier.isEmpty()) {
      throw new BadInputException("--out " + dir + ": holds an earlier run's files (" + String.join(", ", earlier)
          + "); remove them or choose another folder");
    }
    // Checked now, made at the first file: a run that fails before it has results leaves nothing.
    OutputPaths.checkFolder(dir, "--out ");
    Plot.warmUp();
    return new OutputFolder(dir, catalog);
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
    // The charts first: the table of every metric is long.
    chart(html, "host.png", "Host memory", RunCharts.host(r, catalog),
        "free host memory against its thresholds, states shaded, and what reclamation holds, over simulated time");
    for (RunResult.VmResult v : r.vms()) {
      chart(html, "memory-" + fileName(v.name()) + ".png", "Memory of " + v.name(),
          RunCharts.memory(r, v.name(), catalog), "memory of " + v.name() + " by state over simulated time");
    }
    chart(html, "rates.png", "Events per second", RunCharts.rates(r, catalog),
        "faults, exits and techniques' events per second over simulated time");
    chart(html, "performance.png", "Slowdown and TLB miss ratio", RunCharts.performance(r),
        "slowdown and L2 TLB miss ratio per sample interval");
    chart(html, "events.png", "Events (cumulative)", RunCharts.events(r, catalog),
        "cumulative faults, exits and techniques' events over simulated time");
    html.heading("Every metric").table(ResultTable.rows(r));
    html.heading("Experiment").preformatted(YAML.writeValueAsString(resolvedExperiment));
    write("report.html", html.render());
  }

  private void chart(HtmlReport html, String file, String heading, Plot plot, String alt) throws IOException {
    byte[] png = plot.png();
    write(file, png);
    html.heading(heading).image(png, alt);
    if (!plot.notes().isEmpty()) {
      html.paragraph(String.join("; ", plot.notes()), "note");
    }
  }

  void writeSweep(SweepRun sweep, String description, Object asWritten, List<String> tableMetrics,
      List<String> chartMetrics) throws IOException {
    write("sweep.csv", ResultCsv.sweep(sweep));
    boolean replicated = new Replications(sweep).replicated();
    if (replicated) {
      write("replications.csv", ResultCsv.replications(sweep));
    }
    write("experiment.yaml", "# The experiment as written: each list is a swept setting. Each point's\n"
        + "# resolved experiment, with its own seed, is in points/N/experiment.yaml.\n"
        + YAML.writeValueAsString(asWritten));
    HtmlReport html = new HtmlReport("memvirt sweep: " + sweep.points().size() + " points");
    html.paragraph(description, null);
    if (sweep.partial()) {
      html.paragraph("PARTIAL: interrupted; points marked partial or not run hold what was measured.", "partial");
    }
    for (String line : ResultTable.failures(sweep).lines().toList()) {
      html.paragraph(line, "partial");
    }
    if (replicated) {
      html.heading("Mean and 95% confidence interval over the seeds");
      html.table(ResultTable.replicationRows(sweep, tableMetrics));
      html.heading("Every point");
    }
    html.table(ResultTable.sweepRows(sweep, tableMetrics));
    for (String metric : chartMetrics) {
      var chart = SweepCharts.chart(sweep, metric);
      byte[] png = Plot.png(chart);
      write("sweep-" + fileName(metric) + ".png", png);
      html.heading(chart.getTitle().replaceAll("  \\(.*", "")).image(png, chart.getTitle());
    }
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
  OutputFolder point(int index) {
    return new OutputFolder(dir.resolve("points").resolve(Integer.toString(index)), catalog);
  }

  private static String fileName(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_").toLowerCase(Locale.ROOT);
  }

  /** Writes {@code name} whole: beside its place first, then moved in. */
  void write(String name, String text) throws IOException {
    write(name, text.getBytes(StandardCharsets.UTF_8));
  }

  void write(String name, byte[] bytes) throws IOException {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new BadInputException("--out " + dir + ": cannot create the folder: " + e.getMessage());
    }
    Path target = dir.resolve(name);
    // A new file of our own (never one that was there, nor a link's target), moved into place whole.
    Path tmp = Files.createTempFile(dir, "." + name + ".", ".part");
    try {
      Files.write(tmp, bytes);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
