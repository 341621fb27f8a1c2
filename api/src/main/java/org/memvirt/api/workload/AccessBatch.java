package org.memvirt.api.workload;

/**
 * A reusable buffer of accesses: guest virtual address, kind ({@link
 * org.memvirt.api.AccessKind}) and, for writes, the 64-bit content token the write stores
 * (0 stores zeros). A token stands for the whole page's content after the write.
 */
public final class AccessBatch {
  public final long[] addresses;
  public final byte[] kinds;
  public final long[] values;

  public AccessBatch(int capacity) {
    addresses = new long[capacity];
    kinds = new byte[capacity];
    values = new long[capacity];
  }

  public int capacity() {
    return addresses.length;
  }
}
