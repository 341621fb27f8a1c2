package org.memvirt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.memvirt.api.BadInputException;
import org.memvirt.study.Stop;
import org.memvirt.trace.TraceFiles;
import org.memvirt.trace.TraceFormat;
import org.memvirt.trace.TraceReader;
import org.memvirt.trace.TraceStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code memvirt trace}: record, convert and inspect memory traces. */
@Command(name = "trace", mixinStandardHelpOptions = true,
    description = "Record, convert and inspect memory traces (valgrind lackey text, memvirt binary .mvt; .gz/.xz).",
    subcommands = {TraceCommand.Record.class, TraceCommand.Convert.class, TraceCommand.Stats.class})
final class TraceCommand implements Runnable {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static String describe(TraceStats s) {
    return String.format(Locale.ROOT,
        "%,d records: %,d fetches (I), %,d loads (L), %,d stores (S), %,d modifies (M); "
            + "%,d page accesses (%,d cross a page); %,d distinct pages (%,d with code)",
        s.records(), s.fetches(), s.loads(), s.stores(), s.modifies(), s.pageAccesses(), s.crossings(),
        s.distinctPages(), s.distinctCodePages());
  }

  static String size(Path file) {
    try {
      return org.memvirt.engine.config.Units.formatBytesApprox(Files.size(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Command(name = "convert", mixinStandardHelpOptions = true,
      description = "Convert a trace between formats. The output's format and compression follow its name "
          + "(.mvt binary, .lackey text; .gz or .xz compressed) unless --to says.")
  static final class Convert implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    DebugOption debug;

    @Parameters(index = "0", paramLabel = "IN", description = "Trace to read (format prefix lackey: or mvt: optional).")
    String in;

    @Parameters(index = "1", paramLabel = "OUT", description = "Trace to write.")
    Path out;

    @Option(names = "--to", paramLabel = "FORMAT", description = "Output format: lackey or mvt (default: by OUT's name, else mvt).")
    String to;

    @Option(names = "--force", description = "Replace OUT if it is a regular file already (never a link, a folder or a "
        + "special file).")
    boolean force;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      TraceFormat format = to == null ? null : switch (to.toLowerCase(Locale.ROOT)) {
        case "lackey" -> TraceFormat.LACKEY;
        case "mvt", "binary" -> TraceFormat.BINARY;
        default -> throw new BadInputException("--to " + to + ": expected lackey or mvt");
      };
      long[] records = new long[1];
      Path input = Path.of(TraceFormat.Spec.parse(in).file());
      OutputPaths.checkFile(out, "", force);
      try (Interruption interruption = Interruption.install()) {
        boolean stopped = untilASignal(interruption, () -> {
          try (TraceReader reader = TraceFiles.open(in)) {
            records[0] = TraceFiles.convert(reader, out, format);
          }
        });
        if (stopped) {
          return stopped(spec, interruption, out);
        }
      }
      spec.commandLine().getOut().printf(Locale.ROOT, "converted %,d records: %s (%s) -> %s (%s)%n", records[0], input,
          size(input), out, size(out));
      return 0;
    }
  }

  /** Work on trace files that a signal may stop. */
  interface TraceWork {
    void run() throws IOException, InterruptedException;
  }

  /**
   * Runs {@code work} so that a signal interrupts this thread, which ends the work at its next
   * file I/O or wait (its unfinished file is removed as it fails); true when a signal ended
   * it. A signal after the last write finds the trace whole: it stands.
   */
  static boolean untilASignal(Interruption interruption, TraceWork work) throws IOException {
    try (Stop.Registration stop = interruption.onInterrupt(Thread.currentThread()::interrupt)) {
      work.run();
      return false;
    } catch (IOException | RuntimeException e) {
      if (interruption.interrupted()) {
        return true;
      }
      throw e;
    } catch (InterruptedException e) {
      if (interruption.interrupted()) {
        return true;
      }
      throw new IllegalStateException("interrupted without a signal", e);
    } finally {
      Thread.interrupted();
    }
  }

  /**
   * A signal stopped a command that writes a trace: nothing was written, for a trace cut
   * short could not say so.
   */
  static int stopped(picocli.CommandLine.Model.CommandSpec spec, Interruption interruption, Path out) {
    spec.commandLine().getErr().println("memvirt: stopped by " + interruption.signal() + "; " + out
        + " not written (a trace cut short would not say that it is)");
    return interruption.exitCode();
  }

  @Command(name = "stats", mixinStandardHelpOptions = true,
      description = "Count a trace's records by kind, its page accesses and its distinct pages.")
  static final class Stats implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    DebugOption debug;

    @Parameters(index = "0", paramLabel = "FILE", description = "Trace to read (format prefix lackey: or mvt: optional).")
    String file;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      try (TraceReader reader = TraceFiles.open(file)) {
        TraceStats stats = TraceStats.of(reader);
        if (stats.records() == 0) {
          throw new org.memvirt.trace.EmptyTraceException(reader.origin());
        }
        spec.commandLine().getOut().println(file + ": " + describe(stats));
      }
      return 0;
    }
  }

  @Command(name = "record", mixinStandardHelpOptions = true,
      description = "Run COMMAND under valgrind's lackey tool and write its memory trace.")
  static final class Record implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    DebugOption debug;

    @Option(names = "--out", paramLabel = "FILE",
        description = "Trace to write (default: COMMAND's name + .lackey.gz); .mvt writes the binary format.")
    Path out;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments (after --).")
    List<String> command;

    @Option(names = "--force", description = "Replace the trace file if it is a regular file already.")
    boolean force;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintWriter err = spec.commandLine().getErr();
      Path target = out != null ? out : Path.of(Path.of(command.get(0)).getFileName() + ".lackey.gz");
      OutputPaths.checkFile(target, out != null ? "--out " : "", force);
      String program = findProgram(command.get(0));
      String valgrind = findValgrind();
      Path dir = target.toAbsolutePath().getParent();
      Path log = Files.createTempFile(dir, "." + target.getFileName(), ".lackey");
      int[] code = new int[1];
      try (Interruption interruption = Interruption.install()) {
        boolean stopped = untilASignal(interruption, () -> {
          List<String> argv = new ArrayList<>(List.of(valgrind, "--tool=lackey", "--trace-mem=yes",
              "--log-file=" + log, program));
          argv.addAll(command.subList(1, command.size()));
          code[0] = run(new ProcessBuilder(argv).inheritIO().start());
          try (TraceReader reader = TraceFiles.open(log, TraceFormat.LACKEY)) {
            TraceFiles.convert(reader, target, null);
          } catch (org.memvirt.trace.EmptyTraceException e) {
            throw new BadInputException("valgrind traced no memory access of '" + String.join(" ", command)
                + "' (exit code " + code[0] + "); see valgrind's message above");
          }
        });
        if (stopped) {
          return stopped(spec, interruption, target);
        }
        if (code[0] != 0) {
          err.println("memvirt: note: '" + String.join(" ", command) + "' exited with code " + code[0]
              + "; the trace holds what it did until then");
        }
      } finally {
        Files.deleteIfExists(log);
      }
      try (TraceReader reader = TraceFiles.open(target, null)) {
        spec.commandLine().getOut().println("recorded " + target + " (" + size(target) + "): "
            + describe(TraceStats.of(reader)));
      }
      return 0;
    }

    /**
     * Waits for the traced program; a signal meanwhile stops it too (Ctrl-C reached it
     * already, SIGTERM did not), and the wait ends interrupted.
     */
    private static int run(Process p) throws InterruptedException {
      try {
        return p.waitFor();
      } catch (InterruptedException e) {
        p.destroy();
        try {
          if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        } catch (InterruptedException again) {
          p.destroyForcibly();
        }
        throw e;
      }
    }

    /**
     * The program to trace: {@code name} itself when it holds a slash, else the first
     * executable of that name on PATH; a one-line error when there is none (before valgrind
     * could print its own).
     */
    static String findProgram(String name) {
      if (name.contains("/")) {
        Path p = Path.of(name);
        if (!Files.exists(p)) {
          throw new BadInputException(name + ": no such program to trace");
        }
        if (Files.isDirectory(p) || !Files.isExecutable(p)) {
          throw new BadInputException(name + ": not an executable program to trace");
        }
        return name;
      }
      for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
        Path p = Path.of(dir.isEmpty() ? "." : dir, name);
        if (Files.isExecutable(p) && !Files.isDirectory(p)) {
          return p.toString();
        }
      }
      throw new BadInputException(name + ": no such program on PATH to trace");
    }

    /** The valgrind to run, or a one-line error saying how to install it. */
    static String findValgrind() {
      // The system property memvirt.valgrind names another executable (tests use it).
      String valgrind = System.getProperty("memvirt.valgrind", "valgrind");
      Path named = Path.of(valgrind);
      if (named.isAbsolute() || valgrind.contains("/")) {
        if (Files.isExecutable(named)) {
          return valgrind;
        }
      } else {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
          if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, valgrind))) {
            return Path.of(dir, valgrind).toString();
          }
        }
      }
      throw new BadInputException("valgrind is not installed (looked for '" + valgrind + "'); install it with "
          + "'apt-get install valgrind' (Debian, Ubuntu) or 'dnf install valgrind' (Fedora), then try again");
    }
  }
}
