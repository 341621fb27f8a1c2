package org.memvirt.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.memvirt.api.ApiVersion;
import org.memvirt.engine.plugin.LoadedPlugin;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.plugin.RefusedPlugin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code memvirt plugins}: what was discovered, from where, and what was refused and why. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
    description = "List every plugin found: id, version, api version, what it provides, where it came from; "
        + "then conflicts and refused jars, each with its reason. Exit code 2 if anything was refused or conflicts.")
final class PluginsCommand implements Callable<Integer> {
  @Mixin
  PluginOptions plugins;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PluginRegistry registry = plugins.registry();
    out.println("runtime api " + ApiVersion.runtime());
    Map<String, String> descriptions = registry.descriptions();
    int width = 22;
    for (LoadedPlugin p : registry.plugins()) {
      for (String t : p.descriptor().provides()) {
        width = Math.max(width, t.length());
      }
    }
    for (LoadedPlugin p : registry.plugins()) {
      out.printf("%s %s (api %s) from %s%n", p.descriptor().id(), p.descriptor().version(),
          p.descriptor().apiVersion(), p.source());
      for (String t : p.descriptor().provides()) {
        String d = descriptions.getOrDefault(t, "");
        out.printf("  %-" + width + "s %s%n", t, d);
      }
    }
    for (String c : registry.conflicts()) {
      out.println("conflict: " + c);
    }
    for (RefusedPlugin r : registry.refused()) {
      out.println("refused: " + r.source() + ": " + r.reason());
      if (spec.commandLine().getParseResult().hasMatchedOption("--debug") && r.cause() != null) {
        r.cause().printStackTrace(out);
      }
    }
    out.flush();
    // Anything refused or in conflict is a problem to fix: say so in the exit code too.
    return registry.conflicts().isEmpty() && registry.refused().isEmpty() ? 0 : Main.BAD_INPUT;
  }
}
