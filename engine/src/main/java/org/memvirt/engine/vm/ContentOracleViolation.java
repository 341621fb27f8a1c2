package org.memvirt.engine.vm;

/** A read returned content other than what the process last wrote: a technique lost or leaked a write. */
public final class ContentOracleViolation extends org.memvirt.api.InvariantViolation {
  private static final long serialVersionUID = 1L;

  ContentOracleViolation(String message) {
    super(message);
  }
}
