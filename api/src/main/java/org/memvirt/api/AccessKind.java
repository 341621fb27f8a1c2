package org.memvirt.api;

/**
 * What an access does, as a small int so that access streams stay primitive arrays.
 */
public final class AccessKind {
  private AccessKind() {}

  /** A data load. */
  public static final int READ = 0;
  /** A data store (or a read-modify-write). */
  public static final int WRITE = 1;
  /** An instruction fetch: looked up in the instruction TLB. */
  public static final int FETCH = 2;
}
