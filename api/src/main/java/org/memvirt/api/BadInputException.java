package org.memvirt.api;

/**
 * Bad input found by the engine or a plugin: a malformed experiment or trace, a file that
 * is missing, an impossible configuration. Its message is one line that names the file,
 * the line or key, and what was expected; the command line prints it without a stack trace
 * and exits with the bad-input code.
 */
public class BadInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
