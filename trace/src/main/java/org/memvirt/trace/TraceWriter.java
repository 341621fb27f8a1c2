package org.memvirt.trace;

import java.io.Closeable;
import java.io.IOException;

/** Writes trace records in one format. */
public interface TraceWriter extends Closeable {
  /** Writes records {@code [0, count)} of {@code records}. */
  void write(TraceRecords records, int count) throws IOException;
}
