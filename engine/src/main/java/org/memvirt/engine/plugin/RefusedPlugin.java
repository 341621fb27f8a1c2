package org.memvirt.engine.plugin;

import java.util.List;

/**
 * A jar or provider the registry refused, and why (one line); what its descriptor said it
 * provides, when it could be read, so that a run naming one of those can say where it went.
 */
public record RefusedPlugin(String source, String reason, List<String> provides) {
  public RefusedPlugin(String source, String reason) {
    this(source, reason, List.of());
  }
}
