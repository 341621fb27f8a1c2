package org.memvirt.trace;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads valgrind lackey's {@code --trace-mem=yes} output: {@code I  addr,size} (an
 * instruction fetch), {@code  L addr,size}, {@code  S addr,size}, {@code  M addr,size}
 * (load, store, modify), the address in hex and the size in decimal. Every other line
 * (valgrind's {@code ==pid==} messages, a program's own output such as {@code I am done})
 * is skipped. Parses bytes
 * directly: no string per line.
 */
public final class LackeyTraceReader implements TraceReader {
  /** The largest access size accepted; lackey reports at most a few dozen bytes. */
  static final int MAX_SIZE = 1 << 20;

  private final InputStream in;
  private final String origin;
  private final byte[] buffer = new byte[1 << 16];
  private final byte[] line = new byte[256];
  private int position;
  private int limit;
  private long lineNumber;
  /** Bytes of the current line held in {@link #line}. */
  private int lineLength;

  public LackeyTraceReader(InputStream in, String origin) {
    this.in = in;
    this.origin = origin;
  }

  @Override
  public String origin() {
    return origin;
  }

  @Override
  public int read(TraceRecords into) throws IOException {
    int n = 0;
    while (n < into.capacity()) {
      int length = nextLine();
      if (length < 0) {
        break;
      }
      int kind = kindOf(lineLength);
      if (kind < 0) {
        continue;
      }
      if (length > line.length) {
        throw malformed("a record line of at most " + line.length + " bytes");
      }
      parseFields(lineLength, into, n, kind);
      n++;
    }
    return n;
  }

  /**
   * The kind of a record line, or -1 for a line that is not a record. Lackey writes
   * {@code "I  "} (two spaces) before a fetch and {@code " X "} before a data access.
   */
  private int kindOf(int length) {
    if (length >= 3 && line[0] == 'I' && line[1] == ' ' && line[2] == ' ') {
      return TraceKind.FETCH;
    }
    if (length >= 3 && line[0] == ' ' && line[2] == ' ') {
      switch (line[1]) {
        case 'L':
          return TraceKind.LOAD;
        case 'S':
          return TraceKind.STORE;
        case 'M':
          return TraceKind.MODIFY;
        default:
          return -1;
      }
    }
    return -1;
  }

  private void parseFields(int length, TraceRecords into, int n, int kind) {
    int i = 2;
    while (i < length && line[i] == ' ') {
      i++;
    }
    long address = 0;
    int digits = 0;
    for (; i < length && line[i] != ','; i++, digits++) {
      int d = Character.digit(line[i], 16);
      if (d < 0 || digits == 16) {
        throw malformed("a hex address");
      }
      address = address << 4 | d;
    }
    if (digits == 0 || i == length) {
      throw malformed("'address,size'");
    }
    i++;
    long size = 0;
    int sizeDigits = 0;
    for (; i < length && line[i] != ' ' && line[i] != '\r'; i++, sizeDigits++) {
      int d = line[i] - '0';
      if (d < 0 || d > 9 || size > MAX_SIZE) {
        throw malformed("a decimal size");
      }
      size = size * 10 + d;
    }
    if (sizeDigits == 0 || size == 0 || size > MAX_SIZE) {
      throw malformed("a size from 1 to " + MAX_SIZE + " bytes");
    }
    into.addresses[n] = address;
    into.kinds[n] = (byte) kind;
    into.sizes[n] = (int) size;
  }

  private TraceFormatException malformed(String expected) {
    String text = new String(line, 0, Math.min(lineLength, 60), java.nio.charset.StandardCharsets.ISO_8859_1).strip();
    return new TraceFormatException(origin + ":" + lineNumber + ": malformed lackey record '" + text + "': expected "
        + expected);
  }

  /**
   * Copies the next line (without its newline) into {@link #line}, keeping at most its
   * first {@code line.length} bytes, and returns its full length; -1 at the end.
   */
  private int nextLine() throws IOException {
    int length = 0;
    boolean any = false;
    while (true) {
      if (position == limit) {
        limit = in.read(buffer, 0, buffer.length);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          if (!any) {
            return -1;
          }
          break;
        }
      }
      any = true;
      byte b = buffer[position++];
      if (b == '\n') {
        break;
      }
      if (length < line.length) {
        line[length] = b;
      }
      length++;
    }
    lineNumber++;
    lineLength = Math.min(length, line.length);
    return length;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
