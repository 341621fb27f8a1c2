package org.memvirt.trace;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Writes {@link BinaryTrace} files. */
public final class BinaryTraceWriter implements TraceWriter {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final OutputStream out;
  private final String origin;
  private final byte[] buffer = new byte[1 << 16];
  private int position;

  public BinaryTraceWriter(OutputStream out, String origin) throws IOException {
    this.out = out;
    this.origin = origin;
    byte[] header = new byte[BinaryTrace.HEADER_BYTES];
    System.arraycopy(BinaryTrace.MAGIC, 0, header, 0, BinaryTrace.MAGIC.length);
    header[8] = BinaryTrace.VERSION;
    header[10] = BinaryTrace.RECORD_BYTES;
    out.write(header);
  }

  @Override
  public void write(TraceRecords records, int count) throws IOException {
    for (int i = 0; i < count; i++) {
      long address = records.addresses[i];
      if ((address & ~BinaryTrace.ADDRESS_MASK) != 0) {
        throw new TraceFormatException(origin + ": address 0x" + Long.toHexString(address)
            + " does not fit the binary format's 56 bits");
      }
      int size = records.sizes[i];
      do {
        int piece = Math.min(size, BinaryTrace.MAX_RECORD_SIZE);
        if (position == buffer.length) {
          out.write(buffer, 0, position);
          position = 0;
        }
        LONGS.set(buffer, position, BinaryTrace.encode(address, records.kinds[i], piece));
        position += BinaryTrace.RECORD_BYTES;
        address += piece;
        size -= piece;
      } while (size > 0);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      out.write(buffer, 0, position);
    } finally {
      out.close();
    }
  }
}
