package org.memvirt.engine.hypervisor;

import org.memvirt.engine.config.ExperimentException;

/**
 * The run cannot go on: the host is out of memory, or a VM at its limit, and no technique
 * could free a frame. The run stops with its results so far (marked partial) and this
 * one-line message.
 */
public final class MemoryExhausted extends ExperimentException {
  private static final long serialVersionUID = 1L;

  MemoryExhausted(String message) {
    super(message);
  }
}
