package org.memvirt.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.memvirt.engine.plugin.PluginRegistry;
import picocli.CommandLine.Option;

/** Options shared by every command: where plugins are, and whether to show stack traces. */
final class PluginOptions {
  @Option(names = "--plugins", paramLabel = "DIR",
      description = "A directory of plugin jars (or folders of jars); repeatable. The distribution's plugins/ is always searched.")
  List<Path> pluginDirs = new ArrayList<>();

  @picocli.CommandLine.Mixin
  DebugOption debug;

  /** The registry made, for the warning about refused jars once the command has ended. */
  private PluginRegistry made;

  PluginRegistry registry() {
    List<Path> dirs = new ArrayList<>();
    String bundled = System.getProperty("memvirt.plugins");
    if (bundled != null && !bundled.isBlank()) {
      dirs.add(Path.of(bundled));
    }
    for (Path dir : pluginDirs) {
      if (!java.nio.file.Files.exists(dir)) {
        throw new org.memvirt.api.BadInputException("--plugins " + dir + ": no such folder");
      }
      if (!java.nio.file.Files.isDirectory(dir)) {
        throw new org.memvirt.api.BadInputException("--plugins " + dir
            + ": not a folder (expected a folder of plugin jars, or of folders of jars)");
      }
    }
    dirs.addAll(pluginDirs);
    made = PluginRegistry.discover(dirs, List.of());
    return made;
  }

  /**
   * The one warning line about plugin jars that were refused (a jar that cannot be read, a
   * plugin for another api), or null: printed when a command has ended without an error
   * line of its own, which names them where they matter.
   */
  String warning() {
    String refused = made == null ? null : made.refusedSummary();
    return refused == null ? null : "memvirt: warning: " + refused + " (see 'memvirt plugins')";
  }
}
