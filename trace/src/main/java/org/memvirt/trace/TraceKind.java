package org.memvirt.trace;

import org.memvirt.api.AccessKind;

/**
 * The kinds of trace records, as valgrind lackey writes them: {@code I} an instruction
 * fetch, {@code L} a load, {@code S} a store, {@code M} a modify (one access that reads and
 * writes, such as {@code inc [mem]}).
 */
public final class TraceKind {
  public static final byte FETCH = 0;
  public static final byte LOAD = 1;
  public static final byte STORE = 2;
  public static final byte MODIFY = 3;

  private static final char[] LETTERS = {'I', 'L', 'S', 'M'};

  private TraceKind() {}

  /** Lackey's letter for {@code kind}. */
  public static char letter(int kind) {
    return LETTERS[kind];
  }

  /**
   * The access the machine sees: a fetch through the instruction TLB, a load as a read, a
   * store or a modify as one write (a modify takes the write fault first, as on x86).
   */
  public static byte accessKind(int kind) {
    return switch (kind) {
      case FETCH -> AccessKind.FETCH;
      case LOAD -> AccessKind.READ;
      default -> AccessKind.WRITE;
    };
  }
}
