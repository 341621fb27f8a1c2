package org.memvirt.reclaim.balloon;

import java.util.Arrays;

/** A growable stack of guest page numbers in one {@code int[]}: four bytes a page, no object per page. */
final class IntStack {
  private int[] items = new int[64];
  private int size;

  void push(int value) {
    if (size == items.length) {
      items = Arrays.copyOf(items, size * 2);
    }
    items[size++] = value;
  }

  /** The top, removed; the stack must not be empty. */
  int pop() {
    return items[--size];
  }

  int get(int i) {
    return items[i];
  }

  int size() {
    return size;
  }

  void clear() {
    size = 0;
  }
}
