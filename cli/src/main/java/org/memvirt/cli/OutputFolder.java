package org.memvirt.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.memvirt.api.BadInputException;
import org.memvirt.api.io.WholeFile;
import org.memvirt.engine.report.RunResult;
import org.memvirt.study.Replications;
import org.memvirt.study.SweepRun;

/**
 * What {@code --out DIR} holds. For a run: {@code summary.json}, {@code vms.csv},
 * {@code timeseries.csv}, {@code experiment.yaml} (as resolved), {@code host.png},
 * {@code memory-VM.png} per VM, {@code rates.png}, {@code performance.png},
 * {@code events.png} and {@code report.html}. For a sweep: {@code sweep.csv},
 * {@code replications.csv} (with seed swept), {@code sweep-METRIC.png} per charted metric,
 * {@code experiment.yaml} (as written, lists included),
 * {@code report.html}, and a run's files for each point under {@code points/N/}. Every file
 * is written beside its place and moved in when complete: none is ever half-written. When one
 * cannot be written (a full disk), those written before it that can say so are marked
 * partial, and the command ends with one line naming the folder and the file.
 */
final class OutputFolder {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR));

  private final Path dir;
  private final RunCharts.Catalog catalog;
  private final Written written;

  private OutputFolder(Path dir, RunCharts.Catalog catalog, Written written) {
    this.dir = dir;
    this.catalog = catalog;
    this.written = written;
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
    return new OutputFolder(dir, catalog, new Written(dir));
  }

  Path dir() {
    return dir;
  }

  void writeRun(RunResult r, Object resolvedExperiment) throws IOException {
    writeMarked("summary.json", why -> ResultJson.render(r, why));
    writeMarked("vms.csv", why -> ResultCsv.vms(r, why != null));
    writeMarked("timeseries.csv", why -> ResultCsv.timeSeries(r, why != null));
    String experiment = YAML.writeValueAsString(resolvedExperiment);
    write("experiment.yaml", "# The experiment as it ran: every default filled in. `memvirt run` on this file\n"
        + "# repeats the run bit for bit.\n" + experiment);
    // The charts first: the table of every metric is long.
    List<Chart> charts = new java.util.ArrayList<>();
    charts.add(chart("host.png", "Host memory", RunCharts.host(r, catalog),
        "free host memory against its thresholds, states shaded, and what reclamation holds, over simulated time"));
    for (RunResult.VmResult v : r.vms()) {
      charts.add(chart("memory-" + fileName(v.name()) + ".png", "Memory of " + v.name(),
          RunCharts.memory(r, v.name(), catalog), "memory of " + v.name() + " by state over simulated time"));
    }
    charts.add(chart("rates.png", "Events per second", RunCharts.rates(r, catalog),
        "faults, exits and techniques' events per second over simulated time"));
    charts.add(chart("performance.png", "Slowdown and TLB miss ratio", RunCharts.performance(r),
        "slowdown and L2 TLB miss ratio per sample interval"));
    charts.add(chart("events.png", "Events (cumulative)", RunCharts.events(r, catalog),
        "cumulative faults, exits and techniques' events over simulated time"));
    writeMarked("report.html", why -> {
      HtmlReport html = new HtmlReport("memvirt: " + r.experiment());
      html.paragraph(ResultTable.header(r), r.partial() ? "partial" : null);
      if (why != null) {
        html.paragraph("PARTIAL: " + why, "partial");
      }
      charts.forEach(c -> c.into(html));
      html.heading("Every metric").table(ResultTable.reportRows(r, catalog.units()));
      html.heading("Experiment").preformatted(experiment);
      return html.render();
    });
  }

  /** A chart written as its own file and drawn in the report. */
  private record Chart(String heading, byte[] png, String alt, List<String> notes) {
    void into(HtmlReport html) {
      html.heading(heading).image(png, alt);
      if (!notes.isEmpty()) {
        html.paragraph(String.join("; ", notes), "note");
      }
    }
  }

  private Chart chart(String file, String heading, Plot plot, String alt) throws IOException {
    byte[] png = plot.png();
    write(file, png);
    return new Chart(heading, png, alt, plot.notes());
  }

  void writeSweep(SweepRun sweep, String description, Object asWritten, List<String> tableMetrics,
      List<String> chartMetrics) throws IOException {
    writeMarked("sweep.csv", why -> ResultCsv.sweep(sweep, why != null));
    boolean replicated = new Replications(sweep).replicated();
    if (replicated) {
      writeMarked("replications.csv", why -> ResultCsv.replications(sweep, why != null));
    }
    write("experiment.yaml", "# The experiment as written: each list is a swept setting. Each point's\n"
        + "# resolved experiment, with its own seed, is in points/N/experiment.yaml.\n"
        + YAML.writeValueAsString(asWritten));
    Map<String, byte[]> charts = new LinkedHashMap<>();
    for (String metric : chartMetrics) {
      var chart = SweepCharts.chart(sweep, metric);
      byte[] png = Plot.png(chart);
      write("sweep-" + fileName(metric) + ".png", png);
      charts.put(chart.getTitle(), png);
    }
    writeMarked("report.html", why -> {
      HtmlReport html = new HtmlReport("memvirt sweep: " + sweep.points().size() + " points");
      html.paragraph(description, null);
      if (sweep.partial()) {
        html.paragraph("PARTIAL: interrupted; points marked partial or not run hold what was measured.", "partial");
      }
      if (why != null) {
        html.paragraph("PARTIAL: " + why, "partial");
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
      charts.forEach((title, png) -> html.heading(title.replaceAll("  \\(.*", "")).image(png, title));
      Map<String, String> links = new LinkedHashMap<>();
      for (int i = 0; i < sweep.points().size(); i++) {
        if (sweep.results().get(i) != null) {
          links.put("points/" + i + "/report.html", "point " + i + ": " + sweep.points().get(i).label());
        }
      }
      html.heading("Points").links(links);
      return html.render();
    });
  }

  /** The folder of point {@code index} of a sweep; what it writes counts as this command's. */
  OutputFolder point(int index) {
    return new OutputFolder(dir.resolve("points").resolve(Integer.toString(index)), catalog, written);
  }

  private static String fileName(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_").toLowerCase(Locale.ROOT);
  }

  /** Writes {@code name} whole: beside its place first, then moved in. */
  void write(String name, String text) throws IOException {
    write(name, text.getBytes(StandardCharsets.UTF_8));
  }

  void write(String name, byte[] bytes) throws IOException {
    write(name, bytes, null);
  }

  /**
   * Writes {@code name} from {@code render}, which renders it as it is ({@code null}) or
   * marked partial for a reason: if a later file of this command cannot be written, this one
   * is written again, marked.
   */
  void writeMarked(String name, Function<String, String> render) throws IOException {
    write(name, render.apply(null).getBytes(StandardCharsets.UTF_8), render);
  }

  private void write(String name, byte[] bytes, Function<String, String> marked) throws IOException {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw written.failed("--out " + written.root + ": cannot create the folder " + written.relative(dir) + ": "
          + reason(e));
    }
    Path target = dir.resolve(name);
    try {
      WholeFile.write(target, bytes);
    } catch (IOException e) {
      throw written.failed("--out " + written.root + ": could not write " + written.relative(target) + ": "
          + reason(e));
    }
    written.add(target, marked);
  }

  private static String reason(IOException e) {
    return e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
  }

  /**
   * What a command has written under its folder, in order, and how to mark each file that
   * can say it is partial; when a file cannot be written, those written before it are
   * written again, marked partial (in place: there may be no room for a second copy).
   */
  private static final class Written {
    private final Path root;
    private final Map<Path, Function<String, String>> files = new LinkedHashMap<>();

    Written(Path root) {
      this.root = root;
    }

    void add(Path file, Function<String, String> marked) {
      files.put(file, marked);
    }

    String relative(Path p) {
      return root.relativize(p).toString();
    }

    /** Marks what was written partial and returns the one line that says what happened. */
    OutputIncomplete failed(String what) {
      List<String> marked = new java.util.ArrayList<>();
      List<String> removed = new java.util.ArrayList<>();
      files.forEach((file, render) -> {
        if (render == null) {
          return;
        }
        try {
          WholeFile.rewriteInPlace(file, render.apply(what).getBytes(StandardCharsets.UTF_8));
          marked.add(relative(file));
        } catch (IOException e) {
          // It cannot say that it is partial: it must not stay and look whole.
          try {
            Files.deleteIfExists(file);
          } catch (IOException ignored) {
            // Nothing more can be done; the line below names it.
          }
          removed.add(relative(file));
        }
      });
      return new OutputIncomplete(what + (marked.isEmpty() ? "" : "; written before it and marked partial: "
          + String.join(", ", marked)) + (removed.isEmpty() ? "" : "; removed, as they could not be marked partial: "
          + String.join(", ", removed)));
    }
  }
}
