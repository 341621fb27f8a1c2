package org.memvirt.reclaim.swap;

import java.util.Arrays;

/**
 * One VM's host swap device (ESX's {@code .vswp} file): slots of 4 KiB, each holding a
 * page's content and the guest page it came from, handed out lowest first so that pages
 * written together sit together. Primitive arrays that grow with use: 12 bytes a slot.
 */
final class SwapDevice {
  private final long capacity;
  private long[] content = new long[256];
  private int[] page = new int[256];
  private int[] freeSlots = new int[64];
  private int freeTop;
  private int highWater;

  SwapDevice(long capacitySlots) {
    this.capacity = capacitySlots;
  }

  /** A free slot holding {@code token} for guest page {@code gppn}, or -1 when the device is full. */
  int write(long gppn, long token) {
    int slot;
    if (freeTop > 0) {
      slot = freeSlots[--freeTop];
    } else if (highWater < capacity) {
      if (highWater == content.length) {
        content = Arrays.copyOf(content, content.length * 2);
        page = Arrays.copyOf(page, page.length * 2);
      }
      slot = highWater++;
    } else {
      return -1;
    }
    content[slot] = token;
    page[slot] = (int) gppn;
    return slot;
  }

  long read(int slot) {
    return content[slot];
  }

  /** Whether {@code slot} holds guest page {@code gppn} now. */
  boolean holds(int slot, long gppn) {
    return slot >= 0 && slot < highWater && page[slot] == gppn;
  }

  void free(int slot) {
    page[slot] = -1;
    if (freeTop == freeSlots.length) {
      freeSlots = Arrays.copyOf(freeSlots, freeSlots.length * 2);
    }
    freeSlots[freeTop++] = slot;
  }
}
