package org.memvirt.engine.host;

import java.util.Arrays;

/**
 * A fixed-length array of ints, all {@code initial} at first, kept in chunks of
 * {@value LazyLongArray#CHUNK} allocated when first written with another value: what
 * nothing has touched costs one null reference per chunk.
 */
public final class LazyIntArray {
  private static final int CHUNK = LazyLongArray.CHUNK;
  private static final int SHIFT = 9;

  private final long length;
  private final int initial;
  private final int[][] chunks;

  public LazyIntArray(long length, int initial) {
    if (length < 0 || (length + CHUNK - 1) >> SHIFT > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("length " + length);
    }
    this.length = length;
    this.initial = initial;
    this.chunks = new int[(int) ((length + CHUNK - 1) >> SHIFT)][];
  }

  public long length() {
    return length;
  }

  public int get(long i) {
    int[] c = chunks[(int) (i >>> SHIFT)];
    if (c == null) {
      check(i);
      return initial;
    }
    return c[(int) i & (CHUNK - 1)];
  }

  public void set(long i, int value) {
    int[] c = chunks[(int) (i >>> SHIFT)];
    if (c == null) {
      check(i);
      if (value == initial) {
        return;
      }
      // The last chunk is cut to the length, so that the array's own bounds check still holds.
      c = new int[(int) Math.min(CHUNK, length - (i & -CHUNK))];
      if (initial != 0) {
        Arrays.fill(c, initial);
      }
      chunks[(int) (i >>> SHIFT)] = c;
    }
    c[(int) i & (CHUNK - 1)] = value;
  }

  /** Bytes of the chunks made so far (for measuring what the array costs). */
  public long chunkBytes() {
    long n = 0;
    for (int[] c : chunks) {
      if (c != null) {
        n += (long) 4 * c.length;
      }
    }
    return n;
  }

  private void check(long i) {
    if (i < 0 || i >= length) {
      throw new ArrayIndexOutOfBoundsException("index " + i + " out of bounds for length " + length);
    }
  }
}
