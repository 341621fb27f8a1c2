package org.memvirt.api.workload;

/**
 * A reusable buffer of accesses: guest virtual address, kind ({@link
 * org.memvirt.api.AccessKind}) and, for writes, the 64-bit content token the write stores
 * (0 stores zeros). A token stands for the whole page's content after the write.
 */
public final class AccessBatch {
  /** Guest virtual addresses. */
  public final long[] addresses;
  /** Access kinds. */
  public final byte[] kinds;
  /** Content tokens stored by writes (ignored for reads and fetches). */
  public final long[] values;

  /** A batch of {@code capacity} accesses. */
  public AccessBatch(int capacity) {
    addresses = new long[capacity];
    kinds = new byte[capacity];
    values = new long[capacity];
  }

  /** How many accesses fit. */
  public int capacity() {
    return addresses.length;
  }
}
