package org.memvirt.engine.machine;

import org.memvirt.engine.config.ExperimentException;

/**
 * A plugin's factory failed while the machine was being made (or a process started): one
 * line naming the technique, the plugin and its jar. The plugin's own exception is the
 * cause, printed with {@code --debug}.
 */
final class PluginFailure extends ExperimentException {
  private static final long serialVersionUID = 1L;

  PluginFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
