package org.memvirt.engine.guest;

import java.util.Arrays;

/** The guest's swap device: slots holding the content token of a page swapped out. */
final class GuestSwapDevice {
  private final long capacity;
  private long[] content = new long[1024];
  private int[] freeSlots = new int[1024];
  private int freeTop;
  private int highWater;

  GuestSwapDevice(long capacitySlots) {
    this.capacity = capacitySlots;
  }

  long capacity() {
    return capacity;
  }

  /** A free slot, or -1 when the device is full. */
  int allocate() {
    if (freeTop > 0) {
      return freeSlots[--freeTop];
    }
    if (highWater >= capacity) {
      return -1;
    }
    if (highWater == content.length) {
      content = Arrays.copyOf(content, content.length * 2);
    }
    return highWater++;
  }

  void write(int slot, long token) {
    content[slot] = token;
  }

  long read(int slot) {
    return content[slot];
  }

  void free(int slot) {
    if (freeTop == freeSlots.length) {
      freeSlots = Arrays.copyOf(freeSlots, freeSlots.length * 2);
    }
    freeSlots[freeTop++] = slot;
  }

  long used() {
    return highWater - freeTop;
  }
}
