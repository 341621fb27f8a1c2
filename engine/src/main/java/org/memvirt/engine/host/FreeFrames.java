package org.memvirt.engine.host;

import java.util.Arrays;
import java.util.function.LongBinaryOperator;
import java.util.function.LongPredicate;

/**
 * A free list of frames that costs nothing for frames never used: a frame given back is
 * handed out again first (most recent first), else the lowest frame never handed out, from
 * a mark that skips a reserved range (a pool of 2 MiB blocks kept apart). The host's and
 * the guest's frame tables both hand out frames this way.
 */
public final class FreeFrames {
  private int[] stack = new int[64];
  private int top;
  /** The lowest frame never handed out. */
  private int unused;
  private long neverUsed;
  private final int frames;
  private final int reservedFirst;
  private final int reservedEnd;

  /** Frames 0 to {@code frames} - 1, all free, but for {@code reservedFirst} up to {@code reservedEnd}. */
  public FreeFrames(int frames, int reservedFirst, int reservedEnd) {
    this.frames = frames;
    this.reservedFirst = reservedFirst;
    this.reservedEnd = reservedEnd;
    this.unused = reservedFirst == 0 ? reservedEnd : 0;
    this.neverUsed = frames - (long) (reservedEnd - reservedFirst);
  }

  /** Frames free now. */
  public long size() {
    return top + neverUsed;
  }

  /** The frame given back last, else the lowest never used; -1 when none is free. */
  public int take() {
    if (top > 0) {
      return stack[--top];
    }
    if (neverUsed == 0) {
      return -1;
    }
    neverUsed--;
    int frame = unused++;
    if (unused == reservedFirst) {
      unused = reservedEnd;
    }
    return frame;
  }

  /** {@code frame} is free again, handed out next. */
  public void give(int frame) {
    if (top == stack.length) {
      stack = Arrays.copyOf(stack, top * 2);
    }
    stack[top++] = frame;
  }

  /**
   * How many free frames satisfy {@code test}; {@code inRange} counts the same for a range
   * of frames (from, up to but not including to) at once, so that frames never used are not
   * visited one by one.
   */
  public long count(LongPredicate test, LongBinaryOperator inRange) {
    long n = 0;
    for (int i = 0; i < top; i++) {
      if (test.test(stack[i])) {
        n++;
      }
    }
    // Below the reserve (empty once the mark has passed it), then above it.
    return n + inRange.applyAsLong(unused, Math.max(unused, reservedFirst))
        + inRange.applyAsLong(Math.max(unused, reservedEnd), frames);
  }
}
