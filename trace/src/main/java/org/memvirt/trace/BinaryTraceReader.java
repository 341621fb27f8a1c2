package org.memvirt.trace;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Reads {@link BinaryTrace} files: decodes 8-byte records straight out of a byte buffer. */
public final class BinaryTraceReader implements TraceReader {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

  private final InputStream in;
  private final String origin;
  private final byte[] buffer = new byte[1 << 16];
  private int position;
  private int limit;
  private long offset = BinaryTrace.HEADER_BYTES;

  public BinaryTraceReader(InputStream in, String origin) throws IOException {
    this.in = in;
    this.origin = origin;
    byte[] header = in.readNBytes(BinaryTrace.HEADER_BYTES);
    if (header.length < BinaryTrace.HEADER_BYTES || !BinaryTrace.hasMagic(header, header.length)) {
      throw new TraceFormatException(origin + ": not a memvirt binary trace (expected the header 'MVTRACE')");
    }
    int version = (short) SHORTS.get(header, 8);
    int recordBytes = (short) SHORTS.get(header, 10);
    if (version != BinaryTrace.VERSION || recordBytes != BinaryTrace.RECORD_BYTES) {
      throw new TraceFormatException(origin + ": binary trace version " + version + " with " + recordBytes
          + "-byte records; expected version " + BinaryTrace.VERSION + " with " + BinaryTrace.RECORD_BYTES);
    }
  }

  @Override
  public String origin() {
    return origin;
  }

  @Override
  public int read(TraceRecords into) throws IOException {
    int n = 0;
    while (n < into.capacity()) {
      if (limit - position < BinaryTrace.RECORD_BYTES && !fill()) {
        break;
      }
      int count = Math.min(into.capacity() - n, (limit - position) / BinaryTrace.RECORD_BYTES);
      for (int i = 0; i < count; i++, n++, position += BinaryTrace.RECORD_BYTES) {
        long r = (long) LONGS.get(buffer, position);
        into.addresses[n] = BinaryTrace.address(r);
        into.kinds[n] = BinaryTrace.kind(r);
        into.sizes[n] = BinaryTrace.size(r);
      }
      offset += (long) count * BinaryTrace.RECORD_BYTES;
    }
    return n;
  }

  /** Moves the partial record to the front and reads more; false at the end. */
  private boolean fill() throws IOException {
    int left = limit - position;
    System.arraycopy(buffer, position, buffer, 0, left);
    position = 0;
    limit = left;
    while (limit < BinaryTrace.RECORD_BYTES) {
      int got = in.read(buffer, limit, buffer.length - limit);
      if (got < 0) {
        if (limit > 0) {
          throw new TraceFormatException(origin + ": truncated record at byte " + offset + " (" + limit
              + " of " + BinaryTrace.RECORD_BYTES + " bytes)");
        }
        return false;
      }
      limit += got;
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
