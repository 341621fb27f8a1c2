package org.memvirt.cli;

import java.io.PrintWriter;
import org.memvirt.api.BadInputException;
import org.memvirt.api.InvariantViolation;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code memvirt}: runs memory-virtualization experiments. Exit codes: 0 success, 1 an
 * internal error, 2 bad input (experiment, override, plugin), a run out of memory (after its
 * partial results) or an output that could not be written, 3 an invariant violation (the
 * content oracle, the frame table), 128 + the signal's number for a command a signal stopped.
 */
@Command(name = "memvirt", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Simulates hosts running virtual machines, page by page.",
    subcommands = {RunCommand.class, FitCommand.class, ValidateCommand.class, PluginsCommand.class, MetricsCommand.class, BenchCommand.class,
        TraceCommand.class, picocli.AutoComplete.GenerateCompletion.class,
        CommandLine.HelpCommand.class})
public final class Main {
  public static final int BAD_INPUT = 2;
  public static final int ORACLE_VIOLATION = 3;
  /** A lost write or a broken frame table: the content oracle's and the frame table's code. */
  public static final int INVARIANT_VIOLATION = ORACLE_VIOLATION;

  public static void main(String[] args) {
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the CLI with the given streams; returns the exit code. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Main());
    exitCodesInHelp(cli);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      boolean debug = cmd.getParseResult().hasMatchedOption("--debug");
      if (debug) {
        e.printStackTrace(err);
      }
      if (e.getCause() instanceof OutOfMemoryError) {
        err.println(outOfHeap());
        return BAD_INPUT;
      }
      if (e instanceof BadInputException) {
        err.println("memvirt: " + e.getMessage());
        return BAD_INPUT;
      }
      if (e instanceof InvariantViolation) {
        err.println("memvirt: " + e.getMessage());
        return ORACLE_VIOLATION;
      }
      err.println("memvirt: internal error: " + e + (debug ? "" : " (run with --debug for the stack trace)"));
      return 1;
    });
    cli.setParameterExceptionHandler((e, a) -> {
      // One line, as every bad input: the parser's message and where help is.
      String message = e.getMessage().lines().findFirst().orElse("bad option");
      err.println("memvirt: " + message + " (see 'memvirt " + (e.getCommandLine().getParent() == null ? ""
          : e.getCommandLine().getCommandName() + " ") + "--help')");
      return BAD_INPUT;
    });
    try {
      int code = cli.execute(args);
      warnOfRefusedPlugins(cli, code, err);
      return code;
    } catch (OutOfMemoryError e) {
      // Whatever ran out (a structure the estimate missed, a sweep worker): one line and the fix.
      err.println(outOfHeap());
      return BAD_INPUT;
    }
  }

  /**
   * A command that ended without an error line of its own (success, or stopped by a signal)
   * warns in one line of plugin jars that were refused; an error line names them itself
   * where they matter (a technique that no loaded plugin provides).
   */
  private static void warnOfRefusedPlugins(CommandLine cli, int code, PrintWriter err) {
    if (code != 0 && code < 128 || cli.getParseResult() == null) {
      return;
    }
    CommandLine.ParseResult parsed = cli.getParseResult();
    while (parsed.hasSubcommand()) {
      parsed = parsed.subcommand();
    }
    CommandLine.Model.CommandSpec plugins = parsed.commandSpec().mixins().get("plugins");
    if (plugins != null && plugins.userObject() instanceof PluginOptions options && options.warning() != null) {
      err.println(options.warning());
    }
  }

  /** The one line for a JVM out of heap. */
  static String outOfHeap() {
    return "memvirt: " + org.memvirt.study.LocalExecutor.outOfHeap();
  }

  /** Every command's {@code --help} ends with the exit codes. */
  private static void exitCodesInHelp(CommandLine cmd) {
    java.util.Map<String, String> codes = new java.util.LinkedHashMap<>();
    codes.put("0", "success");
    codes.put("1", "an internal error (a bug: run with --debug and report it)");
    codes.put("2", "bad input (a file, an option, a plugin), a run out of memory (its partial results written), "
        + "or an output that could not be written (a full disk)");
    codes.put("3", "a broken invariant: a lost or leaked write, or a frame accounted wrongly");
    codes.put("130", "interrupted by Ctrl-C (SIGINT): what was measured is written, marked partial");
    codes.put("143", "stopped by SIGTERM: the same (129 for SIGHUP)");
    cmd.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
    cmd.getSubcommands().values().forEach(Main::exitCodesInHelp);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"memvirt " + (v == null ? "dev" : v) + " (api " + org.memvirt.api.ApiVersion.runtime() + ")"};
    }
  }
}
