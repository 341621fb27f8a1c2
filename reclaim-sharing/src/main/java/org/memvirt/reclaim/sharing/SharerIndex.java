package org.memvirt.reclaim.sharing;

/**
 * Which pages map each shared frame (a reverse map, as KSM's rmap items on a stable node),
 * so that a frame can be handed to another technique whole. Built on first use from the
 * VMs' P2Ms and kept from then on: a doubly linked list per frame of items
 * {@code vm << 40 | gppn}, in hash maps of primitives (about 60 to 130 bytes per shared
 * mapping, nothing until a technique asks for a shared frame).
 */
final class SharerIndex {
  private final LongLongMap head = new LongLongMap();
  private final LongLongMap next = new LongLongMap();
  private final LongLongMap prev = new LongLongMap();
  private final LongLongMap frameOf = new LongLongMap();

  static long item(int vm, long gppn) {
    return ((long) vm << 40) | gppn;
  }

  static int vm(long item) {
    return (int) (item >>> 40);
  }

  static long gppn(long item) {
    return item & ((1L << 40) - 1);
  }

  /** Page {@code item} maps {@code frame} now. */
  void add(long frame, long item) {
    long first = head.get(frame);
    if (first != LongLongMap.MISSING) {
      next.put(item, first);
      prev.put(first, item);
    }
    head.put(frame, item);
    frameOf.put(item, frame);
  }

  /** Page {@code item} no longer maps a shared frame. */
  void remove(long item) {
    long frame = frameOf.remove(item);
    if (frame == LongLongMap.MISSING) {
      throw new IllegalStateException("page " + gppn(item) + " of vm index " + vm(item) + " maps no indexed frame");
    }
    long p = prev.remove(item);
    long n = next.remove(item);
    if (p == LongLongMap.MISSING) {
      if (n == LongLongMap.MISSING) {
        head.remove(frame);
      } else {
        head.put(frame, n);
      }
    } else if (n == LongLongMap.MISSING) {
      next.remove(p);
    } else {
      next.put(p, n);
    }
    if (n != LongLongMap.MISSING) {
      if (p == LongLongMap.MISSING) {
        prev.remove(n);
      } else {
        prev.put(n, p);
      }
    }
  }

  /** The pages mapping {@code frame}, newest first. */
  long[] sharers(long frame) {
    int count = 0;
    for (long i = head.get(frame); i != LongLongMap.MISSING; i = next.get(i)) {
      count++;
    }
    long[] items = new long[count];
    int k = 0;
    for (long i = head.get(frame); i != LongLongMap.MISSING; i = next.get(i)) {
      items[k++] = i;
    }
    return items;
  }
}
