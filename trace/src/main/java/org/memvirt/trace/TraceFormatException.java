package org.memvirt.trace;

import org.memvirt.api.BadInputException;

/** A trace that cannot be read: the message names the file and, for text, the line. */
public class TraceFormatException extends BadInputException {
  private static final long serialVersionUID = 1L;

  public TraceFormatException(String message) {
    super(message);
  }
}
