package org.memvirt.engine.guest;

import java.util.ArrayList;
import java.util.List;
import org.memvirt.api.reclaim.GuestMemoryListener;
import org.memvirt.engine.host.FreeFrames;
import org.memvirt.engine.host.LazyIntArray;
import org.memvirt.engine.host.LazyLongArray;

/**
 * The guest's physical frame allocator: for each guest frame who uses it (a process's data
 * page, with its virtual page as the tag; a page table, with its slot; a pinned page; the
 * boot-time 2 MiB pool; or nobody), a free list handing out the frame freed last, else
 * the lowest never used, and the pool of 2 MiB blocks reserved at boot (taken from the top
 * of memory). The free list holds only frames given back: memory never touched costs no
 * list entry. Drivers that listen hear of every frame freed.
 */
final class GuestFrames {
  static final int FREE = -1;
  static final int PAGE_TABLE = -2;
  static final int PINNED = -3;
  static final int HUGE_FREE = -4;
  static final int BLOCK = 512;

  /** Per frame, in chunks made when first written: memory the guest never used costs nothing. */
  private final LazyIntArray user;
  private final LazyLongArray tag;
  /** The frames free: given back ones first, then those never used (the 2 MiB pool apart). */
  private final FreeFrames free;
  private int pinned;
  /** First frames of the free 2 MiB blocks reserved at boot. */
  private final int[] hugePool;
  private int hugeTop;
  private final List<GuestMemoryListener> listeners = new ArrayList<>();

  GuestFrames(int frames, int hugeBlocks) {
    this.user = new LazyIntArray(frames, FREE);
    this.tag = new LazyLongArray(frames);
    int firstHuge = (frames / BLOCK - hugeBlocks) * BLOCK;
    int hugeEnd = firstHuge + hugeBlocks * BLOCK;
    this.free = new FreeFrames(frames, firstHuge, hugeEnd);
    this.hugePool = new int[hugeBlocks];
    for (int b = hugeBlocks - 1; b >= 0; b--) {
      hugePool[hugeTop++] = firstHuge + b * BLOCK;
    }
    for (int f = firstHuge; f < hugeEnd; f++) {
      user.set(f, HUGE_FREE);
    }
  }

  int frames() {
    return (int) user.length();
  }

  /** Frames on the free list. */
  int free() {
    return (int) free.size();
  }

  /** The frame given back last, else the lowest never used, taken; there must be one. */
  int take() {
    return free.take();
  }

  /** Frame {@code frame} now belongs to {@code who} (a pid, {@link #PAGE_TABLE}, ...) with {@code what} as its tag. */
  void assign(int frame, int who, long what) {
    user.set(frame, who);
    tag.set(frame, what);
  }

  int user(long frame) {
    return user.get(frame);
  }

  long tag(long frame) {
    return tag.get(frame);
  }

  /** Frame {@code frame} goes back on the free list; listening drivers hear of it. */
  void release(int frame) {
    user.set(frame, FREE);
    free.give(frame);
    for (int i = 0; i < listeners.size(); i++) {
      listeners.get(i).onPageFreed(frame);
    }
  }

  void pin(int frame) {
    user.set(frame, PINNED);
    pinned++;
  }

  void unpin(int frame) {
    pinned--;
    release(frame);
  }

  int pinned() {
    return pinned;
  }

  /** Free blocks in the boot-time 2 MiB pool. */
  int hugeFree() {
    return hugeTop;
  }

  /**
   * How many free frames (on the free list, never used, or in the 2 MiB pool) satisfy
   * {@code test}; {@code inRange} counts the same for a range of frames at once (from, up
   * to but not including to), so that the frames never used are not visited one by one.
   */
  long countFree(java.util.function.LongPredicate test, java.util.function.LongBinaryOperator inRange) {
    long n = free.count(test, inRange);
    for (int b = 0; b < hugeTop; b++) {
      for (int f = 0; f < BLOCK; f++) {
        if (test.test(hugePool[b] + f)) {
          n++;
        }
      }
    }
    return n;
  }

  /** A block from the 2 MiB pool (there must be one): its first frame. */
  int takeHugeBlock() {
    return hugePool[--hugeTop];
  }

  /** A 2 MiB block goes back to the pool. */
  void returnHugeBlock(int block) {
    for (int f = 0; f < BLOCK; f++) {
      user.set(block + f, HUGE_FREE);
    }
    hugePool[hugeTop++] = block;
  }

  void addListener(GuestMemoryListener listener) {
    listeners.add(listener);
  }

  List<GuestMemoryListener> listeners() {
    return listeners;
  }
}
