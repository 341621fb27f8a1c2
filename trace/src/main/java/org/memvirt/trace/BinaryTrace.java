package org.memvirt.trace;

/**
 * memvirt's binary trace format: a 16-byte header, then one 8-byte little-endian record per
 * access.
 *
 * <pre>
 * header   bytes 0-7   magic "MVTRACE\0"
 *          bytes 8-9   format version (1), little-endian
 *          bytes 10-11 record size in bytes (8)
 *          bytes 12-15 zero
 * record   bits 0-55   virtual address (user space is below 2^56 even with 5-level paging)
 *          bits 56-57  kind: 0 fetch (I), 1 load (L), 2 store (S), 3 modify (M)
 *          bits 58-63  size in bytes minus one (1 to 64)
 * </pre>
 *
 * An access larger than 64 bytes is written as consecutive records of at most 64 bytes.
 */
public final class BinaryTrace {
  public static final byte[] MAGIC = {'M', 'V', 'T', 'R', 'A', 'C', 'E', 0};
  public static final int VERSION = 1;
  public static final int HEADER_BYTES = 16;
  public static final int RECORD_BYTES = 8;
  public static final int MAX_RECORD_SIZE = 64;
  public static final long ADDRESS_MASK = (1L << 56) - 1;

  private BinaryTrace() {}

  static long encode(long address, int kind, int size) {
    return address | (long) kind << 56 | (long) (size - 1) << 58;
  }

  static long address(long record) {
    return record & ADDRESS_MASK;
  }

  static byte kind(long record) {
    return (byte) (record >>> 56 & 3);
  }

  static int size(long record) {
    return (int) (record >>> 58) + 1;
  }

  /** Whether {@code start} begins with the magic. */
  public static boolean hasMagic(byte[] start, int length) {
    if (length < MAGIC.length) {
      return false;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (start[i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }
}
