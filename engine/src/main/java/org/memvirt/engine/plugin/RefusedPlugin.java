package org.memvirt.engine.plugin;

import java.util.List;

/**
 * A jar or provider the registry refused, and why (one line); what its descriptor said it
 * provides, when it could be read, so that a run naming one of those can say where it went;
 * and the exception behind it, if any, for {@code --debug}.
 */
public record RefusedPlugin(String source, String reason, List<String> provides, Throwable cause) {
  public RefusedPlugin(String source, String reason) {
    this(source, reason, List.of(), null);
  }

  public RefusedPlugin(String source, String reason, List<String> provides) {
    this(source, reason, provides, null);
  }
}
