package org.memvirt.api;

/**
 * A broken invariant of the machine, found by the engine or a plugin: a technique lost or
 * leaked a write, a frame or a page. Not bad input and not an engine crash: the command
 * line reports it in one line and exits with its own code (3).
 */
public class InvariantViolation extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvariantViolation(String message) {
    super(message);
  }
}
