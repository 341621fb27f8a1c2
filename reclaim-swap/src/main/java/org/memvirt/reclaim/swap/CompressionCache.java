package org.memvirt.reclaim.swap;

import java.util.Arrays;
import org.memvirt.api.memory.HostMemory;

/**
 * One VM's compression cache (ESX's memory compression): pages that compress to half a page
 * or less, two to a host frame the technique holds, at most {@code Mem.MemZipMaxPct} of the
 * VM's memory in frames. A slot is a half frame: slot {@code s} is half {@code s % 2} of
 * cache frame {@code s / 2}. Frames are taken as the cache grows and given back as soon as
 * both halves are free. Primitive arrays: 12 bytes a slot, 9 a cache frame.
 */
final class CompressionCache {
  private final HostMemory host;
  private final int maxFrames;
  /** Host frame of each cache frame, -1 while it has none. */
  private final long[] frames;
  private final byte[] halvesUsed;
  private final long[] content;
  private final int[] page;
  /** Cache frames with exactly one half in use (lazily pruned). */
  private int[] halfFree = new int[16];
  private int halfFreeTop;
  private int[] unusedFrames;
  private int unusedTop;
  private int framesHeld;
  private int pages;

  CompressionCache(HostMemory host, int maxFrames) {
    this.host = host;
    this.maxFrames = maxFrames;
    this.frames = new long[maxFrames];
    this.halvesUsed = new byte[maxFrames];
    this.content = new long[2 * maxFrames];
    this.page = new int[2 * maxFrames];
    Arrays.fill(frames, -1);
    Arrays.fill(page, -1);
    this.unusedFrames = new int[maxFrames];
    for (int i = maxFrames - 1; i >= 0; i--) {
      unusedFrames[unusedTop++] = i;
    }
  }

  /** Host frames the cache holds now. */
  int framesHeld() {
    return framesHeld;
  }

  /** Pages it holds now. */
  int pages() {
    return pages;
  }

  /**
   * Stores guest page {@code gppn}'s content; returns the slot, or -1 when the cache is full
   * (or no frame could be had). {@code tookFrame[0]} says whether a new host frame was taken.
   */
  int store(long gppn, long token, boolean[] tookFrame) {
    tookFrame[0] = false;
    int f = -1;
    while (halfFreeTop > 0 && f < 0) {
      int candidate = halfFree[--halfFreeTop];
      if (halvesUsed[candidate] == 1) {
        f = candidate;
      }
    }
    if (f < 0) {
      // A new frame only from free memory: taking one under pressure would reclaim (perhaps
      // this very page) while this page is half moved.
      if (unusedTop == 0 || host.freeFrames() == 0) {
        return -1;
      }
      long frame = host.allocateHeld();
      if (frame == HostMemory.NO_FRAME) {
        return -1;
      }
      f = unusedFrames[--unusedTop];
      frames[f] = frame;
      framesHeld++;
      tookFrame[0] = true;
    }
    int slot = page[2 * f] < 0 ? 2 * f : 2 * f + 1;
    content[slot] = token;
    page[slot] = (int) gppn;
    if (++halvesUsed[f] == 1) {
      pushHalfFree(f);
    }
    pages++;
    return slot;
  }

  long read(int slot) {
    return content[slot];
  }

  /** Whether {@code slot} holds guest page {@code gppn}. */
  boolean holds(int slot, long gppn) {
    return slot >= 0 && slot < page.length && page[slot] == gppn;
  }

  /** Frees a slot; a cache frame with both halves free goes back to the host. */
  void free(int slot) {
    int f = slot / 2;
    page[slot] = -1;
    pages--;
    if (--halvesUsed[f] == 0) {
      host.free(frames[f]);
      frames[f] = -1;
      framesHeld--;
      unusedFrames[unusedTop++] = f;
    } else {
      pushHalfFree(f);
    }
  }

  private void pushHalfFree(int f) {
    if (halfFreeTop == halfFree.length) {
      halfFree = Arrays.copyOf(halfFree, halfFree.length * 2);
    }
    halfFree[halfFreeTop++] = f;
  }
}
