package org.memvirt.cli;

import org.memvirt.api.BadInputException;

/**
 * A command's output folder could not be written whole (a full disk, a folder taken away):
 * the one line names the folder, the file and why, and what was written before it, marked
 * partial. Exit code 2, as for bad input: the fault is outside memvirt.
 */
final class OutputIncomplete extends BadInputException {
  private static final long serialVersionUID = 1L;

  OutputIncomplete(String message) {
    super(message);
  }
}
