package org.memvirt.engine.host;

/**
 * A fixed-length array of longs, all 0 at first, kept in chunks of {@value #CHUNK} that are
 * allocated when first written with something other than 0: the part of a large per-page
 * array that nothing has touched (an idle VM's memory, a region never mapped) costs one null
 * reference per chunk. Reads of an untouched chunk see 0.
 */
public final class LazyLongArray {
  /** Entries per chunk: one 2 MiB block's pages. */
  public static final int CHUNK = 512;
  private static final int SHIFT = 9;

  private final long length;
  private final long[][] chunks;

  public LazyLongArray(long length) {
    if (length < 0 || (length + CHUNK - 1) >> SHIFT > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("length " + length);
    }
    this.length = length;
    this.chunks = new long[(int) ((length + CHUNK - 1) >> SHIFT)][];
  }

  public long length() {
    return length;
  }

  public long get(long i) {
    long[] c = chunks[(int) (i >>> SHIFT)];
    return c == null ? check(i) : c[(int) i & (CHUNK - 1)];
  }

  public void set(long i, long value) {
    long[] c = chunks[(int) (i >>> SHIFT)];
    if (c == null) {
      if (value == 0) {
        check(i);
        return;
      }
      c = allocate(i);
    }
    c[(int) i & (CHUNK - 1)] = value;
  }

  /**
   * How many entries from {@code from} up to but not including {@code to} satisfy
   * {@code test}: an untouched chunk is counted at once, as 0s.
   */
  public long count(long from, long to, java.util.function.LongPredicate test) {
    boolean zeroCounts = test.test(0);
    long n = 0;
    for (long i = from; i < to; ) {
      long chunkEnd = Math.min(to, (i | (CHUNK - 1)) + 1);
      long[] c = chunks[(int) (i >>> SHIFT)];
      if (c == null) {
        n += zeroCounts ? chunkEnd - i : 0;
      } else {
        for (long j = i; j < chunkEnd; j++) {
          if (test.test(c[(int) j & (CHUNK - 1)])) {
            n++;
          }
        }
      }
      i = chunkEnd;
    }
    return n;
  }

  /** Bytes of the chunks made so far (for measuring what the array costs). */
  public long chunkBytes() {
    long n = 0;
    for (long[] c : chunks) {
      if (c != null) {
        n += (long) 8 * c.length;
      }
    }
    return n;
  }

  private long[] allocate(long i) {
    check(i);
    // The last chunk is cut to the length, so that the array's own bounds check still holds.
    long[] c = new long[(int) Math.min(CHUNK, length - (i & -CHUNK))];
    chunks[(int) (i >>> SHIFT)] = c;
    return c;
  }

  /** An untouched entry reads 0; past the length is an error, as for an array. */
  private long check(long i) {
    if (i < 0 || i >= length) {
      throw new ArrayIndexOutOfBoundsException("index " + i + " out of bounds for length " + length);
    }
    return 0;
  }
}
