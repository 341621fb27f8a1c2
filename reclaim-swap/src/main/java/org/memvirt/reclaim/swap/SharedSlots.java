package org.memvirt.reclaim.swap;

import java.util.Arrays;
import org.memvirt.api.memory.HostMemory;

/**
 * Shared frames swapped out whole: one slot per frame, with the content written once, the
 * pages still swapped on it, and, once one of them has faulted it back, the frame it was
 * read into (the swap cache: the others find it there and map it shared, no read). The slot
 * goes when no page is swapped on it; the frame, held by the swapper and shared, until its
 * last page leaves it (a write copies it, as copy-on-write does). Entries name a slot as
 * {@link #TAG} | index, apart from the VMs' own devices. About 24 bytes per slot.
 */
final class SharedSlots {
  /** Marks an entry's value as a shared slot rather than a slot of the VM's own device. */
  static final long TAG = 1L << 50;
  private static final int NONE = -1;

  private long[] content = new long[16];
  private long[] frame = new long[16];
  private int[] swapped = new int[16];
  private int[] next = new int[16];
  private int freeList = NONE;
  private int used;
  /** Frame → slot, for the frames read back and still shared. */
  private final FrameSlots byFrame = new FrameSlots();

  static boolean isShared(long value) {
    return (value & TAG) != 0;
  }

  static int index(long value) {
    return (int) (value & ~TAG);
  }

  /** A new slot for content {@code token}, no page on it yet. */
  int open(long token) {
    int s;
    if (freeList != NONE) {
      s = freeList;
      freeList = next[s];
    } else {
      if (used == content.length) {
        int cap = used * 2;
        content = Arrays.copyOf(content, cap);
        frame = Arrays.copyOf(frame, cap);
        swapped = Arrays.copyOf(swapped, cap);
        next = Arrays.copyOf(next, cap);
      }
      s = used++;
    }
    content[s] = token;
    frame[s] = HostMemory.NO_FRAME;
    swapped[s] = 0;
    return s;
  }

  /** One more page swapped on slot {@code s}. */
  void addSwapped(int s) {
    swapped[s]++;
  }

  /** A slot opened for a frame its holder then kept: no page came. */
  void abandon(int s) {
    closeIfDone(s);
  }

  /** One page fewer swapped on {@code s}; the slot goes when none is and no frame holds its content. */
  void removeSwapped(int s) {
    swapped[s]--;
    closeIfDone(s);
  }

  int swapped(int s) {
    return swapped[s];
  }

  long content(int s) {
    return content[s];
  }

  /** The frame slot {@code s} was read back into, or NO_FRAME. */
  long frame(int s) {
    return frame[s];
  }

  /** Slot {@code s} was read back into {@code f}. */
  void readInto(int s, long f) {
    frame[s] = f;
    byFrame.put(f, s);
  }

  /** The slot whose read-back frame is {@code f}, or -1. */
  int slotOf(long f) {
    return byFrame.get(f);
  }

  /** The read-back frame of {@code s} has no page left: pages still swapped read the device again. */
  void frameGone(int s) {
    byFrame.remove(frame[s]);
    frame[s] = HostMemory.NO_FRAME;
    closeIfDone(s);
  }

  /** Whether {@code s} is a slot in use. */
  boolean live(int s) {
    return s >= 0 && s < used && (swapped[s] > 0 || frame[s] != HostMemory.NO_FRAME);
  }

  private void closeIfDone(int s) {
    if (swapped[s] == 0 && frame[s] == HostMemory.NO_FRAME) {
      next[s] = freeList;
      freeList = s;
    }
  }

  /** Frame → slot in open addressing (frames are never negative), as few frames are read back at once. */
  private static final class FrameSlots {
    private long[] keys = new long[16];
    private int[] values = new int[16];
    private int size;

    FrameSlots() {
      Arrays.fill(keys, -1);
    }

    int get(long f) {
      for (int i = slot(f, keys.length); keys[i] != -1; i = (i + 1) & (keys.length - 1)) {
        if (keys[i] == f) {
          return values[i];
        }
      }
      return -1;
    }

    void put(long f, int v) {
      if (2 * (size + 1) > keys.length) {
        grow();
      }
      int i = slot(f, keys.length);
      while (keys[i] != -1 && keys[i] != f) {
        i = (i + 1) & (keys.length - 1);
      }
      if (keys[i] == -1) {
        size++;
      }
      keys[i] = f;
      values[i] = v;
    }

    void remove(long f) {
      int i = slot(f, keys.length);
      while (keys[i] != f) {
        if (keys[i] == -1) {
          return;
        }
        i = (i + 1) & (keys.length - 1);
      }
      keys[i] = -1;
      size--;
      // Re-place the rest of the run so that lookups still find them.
      for (int j = (i + 1) & (keys.length - 1); keys[j] != -1; j = (j + 1) & (keys.length - 1)) {
        long k = keys[j];
        int v = values[j];
        keys[j] = -1;
        size--;
        put(k, v);
      }
    }

    private void grow() {
      long[] k = keys;
      int[] v = values;
      keys = new long[k.length * 2];
      values = new int[k.length * 2];
      Arrays.fill(keys, -1);
      size = 0;
      for (int i = 0; i < k.length; i++) {
        if (k[i] != -1) {
          put(k[i], v[i]);
        }
      }
    }

    private static int slot(long f, int length) {
      return (int) ((f * 0x9E3779B97F4A7C15L) >>> 40) & (length - 1);
    }
  }
}
