package org.memvirt.engine.config;

/**
 * Bad input: a malformed or impossible experiment, an unknown technique, a bad plugin.
 * Its message is one line that names the file, the line or key, and what was expected.
 */
public class ExperimentException extends org.memvirt.api.BadInputException {
  private static final long serialVersionUID = 1L;

  public ExperimentException(String message) {
    super(message);
  }

  public ExperimentException(String message, Throwable cause) {
    super(message, cause);
  }
}
