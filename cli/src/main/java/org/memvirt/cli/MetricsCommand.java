package org.memvirt.cli;

import java.util.concurrent.Callable;
import org.memvirt.engine.report.MetricCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code memvirt metrics}: every metric the engine and the installed plugins report, documented. */
@Command(name = "metrics", mixinStandardHelpOptions = true,
    description = "List every metric (the engine's and the installed plugins'): kind, unit and meaning, as Markdown.")
final class MetricsCommand implements Callable<Integer> {
  @Mixin
  PluginOptions plugins;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(MetricCatalog.markdown(MetricCatalog.all(plugins.registry())));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
