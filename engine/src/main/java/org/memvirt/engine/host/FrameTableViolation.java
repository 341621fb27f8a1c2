package org.memvirt.engine.host;

import org.memvirt.api.InvariantViolation;

/**
 * The ownership contract of frames and P2M entries was broken: a frame leaked or freed
 * twice, a reference count wrong, an entry changed by a technique that does not hold it,
 * a page mapping a frame it is not entitled to. The message names the frame, the VMs and
 * the technique.
 */
public final class FrameTableViolation extends InvariantViolation {
  private static final long serialVersionUID = 1L;

  public FrameTableViolation(String message) {
    super("frame table: " + message);
  }
}
