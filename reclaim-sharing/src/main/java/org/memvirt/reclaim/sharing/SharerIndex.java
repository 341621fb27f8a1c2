package org.memvirt.reclaim.sharing;

import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;

/**
 * Which pages map each shared frame (a reverse map, as KSM's rmap items on a stable node),
 * so that a frame can be handed to another technique whole. Built on first use from the
 * VMs' P2Ms and kept from then on: a doubly linked list per frame of items
 * {@code vm << 40 | gppn}, in hash maps of primitives (about 60 to 130 bytes per shared
 * mapping, nothing until a technique asks for a shared frame).
 */
final class SharerIndex {
  private final Long2LongOpenHashMap head = LongMaps.create();
  private final Long2LongOpenHashMap next = LongMaps.create();
  private final Long2LongOpenHashMap prev = LongMaps.create();
  private final Long2LongOpenHashMap frameOf = LongMaps.create();

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
    if (first != LongMaps.MISSING) {
      next.put(item, first);
      prev.put(first, item);
    }
    head.put(frame, item);
    frameOf.put(item, frame);
  }

  /** Page {@code item} no longer maps a shared frame. */
  void remove(long item) {
    long frame = frameOf.remove(item);
    if (frame == LongMaps.MISSING) {
      throw new IllegalStateException("page " + gppn(item) + " of vm index " + vm(item) + " maps no indexed frame");
    }
    long p = prev.remove(item);
    long n = next.remove(item);
    if (p == LongMaps.MISSING) {
      if (n == LongMaps.MISSING) {
        head.remove(frame);
      } else {
        head.put(frame, n);
      }
    } else if (n == LongMaps.MISSING) {
      next.remove(p);
    } else {
      next.put(p, n);
    }
    if (n != LongMaps.MISSING) {
      if (p == LongMaps.MISSING) {
        prev.remove(n);
      } else {
        prev.put(n, p);
      }
    }
  }

  /** The pages mapping {@code frame}, newest first. */
  long[] sharers(long frame) {
    int count = 0;
    for (long i = head.get(frame); i != LongMaps.MISSING; i = next.get(i)) {
      count++;
    }
    long[] items = new long[count];
    int k = 0;
    for (long i = head.get(frame); i != LongMaps.MISSING; i = next.get(i)) {
      items[k++] = i;
    }
    return items;
  }
}
