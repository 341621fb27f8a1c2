package org.memvirt.trace;

/** A reusable buffer of trace records: address, {@link TraceKind} and size in bytes. */
public final class TraceRecords {
  public final long[] addresses;
  public final byte[] kinds;
  public final int[] sizes;

  public TraceRecords(int capacity) {
    addresses = new long[capacity];
    kinds = new byte[capacity];
    sizes = new int[capacity];
  }

  public int capacity() {
    return addresses.length;
  }
}
