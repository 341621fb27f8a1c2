package org.memvirt.trace;

/** A file that yields no memory access at all: empty, header-only, or text without records. */
public final class EmptyTraceException extends TraceFormatException {
  private static final long serialVersionUID = 1L;

  public EmptyTraceException(String origin) {
    super(origin + ": holds no memory accesses (expected valgrind lackey records or a memvirt binary trace; "
        + "this one is empty, has only a header, or is text without records)");
  }
}
