package org.memvirt.trace;

import java.io.Closeable;
import java.io.IOException;

/** Reads the records of one trace, in order. */
public interface TraceReader extends Closeable {
  /** Fills {@code into} from index 0 and returns how many records; 0 at the end. */
  int read(TraceRecords into) throws IOException;

  /** The file, as messages name it. */
  String origin();
}
