package org.memvirt.reclaim.sharing;

import java.util.Arrays;

/**
 * KSM's stable tree: one stable node per merged frame, found by content. A node maps at
 * most {@code max_page_sharing} pages; more pages of one content get further nodes, chained
 * behind the first (the kernel's stable node chains and their dups). Nodes live in primitive
 * arrays with a free list; lookups by content key and by frame are hash maps, so a search
 * costs what the kernel's tree walk does only in the comparisons it is charged
 * ({@link #depth}).
 */
final class StableTree {
  private static final int NONE = -1;

  private final LongLongMap byKey = new LongLongMap();
  private final LongLongMap byFrame = new LongLongMap();
  private long[] frame = new long[64];
  private long[] key = new long[64];
  private int[] count = new int[64];
  private int[] next = new int[64];
  private int freeList = NONE;
  private int used;
  private long nodes;
  private long sharing;
  private long chains;
  private long dups;

  /** Comparisons a search makes: the depth of a balanced tree of the contents held. */
  int depth() {
    return 64 - Long.numberOfLeadingZeros(byKey.size());
  }

  /**
   * The node of content {@code k} with the most pages that can still take one more (the
   * kernel fills dups in that order), or -1 when none can.
   */
  int withRoom(long k, int maxPageSharing) {
    long head = byKey.get(k);
    int best = NONE;
    for (int n = head == LongLongMap.MISSING ? NONE : (int) head; n != NONE; n = next[n]) {
      if (count[n] < maxPageSharing && (best == NONE || count[n] > count[best])) {
        best = n;
      }
    }
    return best;
  }

  long frame(int node) {
    return frame[node];
  }

  int count(int node) {
    return count[node];
  }

  /** A new node for {@code f}, content {@code k}, mapped by {@code pages} pages; chained if {@code k} has nodes. */
  int insert(long k, long f, int pages) {
    int n = allocate();
    frame[n] = f;
    key[n] = k;
    count[n] = pages;
    next[n] = NONE;
    byFrame.put(f, n);
    long head = byKey.get(k);
    if (head == LongLongMap.MISSING) {
      byKey.put(k, n);
    } else {
      int last = (int) head;
      int length = 1;
      while (next[last] != NONE) {
        last = next[last];
        length++;
      }
      next[last] = n;
      if (length == 1) {
        chains++;
        dups += 2;
      } else {
        dups++;
      }
    }
    nodes++;
    sharing += pages - 1;
    return n;
  }

  /** One more page maps node {@code n}. */
  void add(int n) {
    count[n]++;
    sharing++;
  }

  /** The node of frame {@code f}, or -1. */
  int nodeOf(long f) {
    long n = byFrame.get(f);
    return n == LongLongMap.MISSING ? NONE : (int) n;
  }

  /** One page fewer maps node {@code n}; the node goes with its last page. Returns the pages left. */
  int remove(int n) {
    count[n]--;
    if (count[n] > 0) {
      sharing--;
      return count[n];
    }
    nodes--;
    byFrame.remove(frame[n]);
    int head = (int) byKey.get(key[n]);
    int length = 0;
    for (int m = head; m != NONE; m = next[m]) {
      length++;
    }
    if (head == n) {
      if (next[n] == NONE) {
        byKey.remove(key[n]);
      } else {
        byKey.put(key[n], next[n]);
      }
    } else {
      int prev = head;
      while (next[prev] != n) {
        prev = next[prev];
      }
      next[prev] = next[n];
    }
    if (length == 2) {
      chains--;
      dups -= 2;
    } else if (length > 2) {
      dups--;
    }
    next[n] = freeList;
    freeList = n;
    return 0;
  }

  private int allocate() {
    if (freeList != NONE) {
      int n = freeList;
      freeList = next[n];
      return n;
    }
    if (used == frame.length) {
      int cap = used * 2;
      frame = Arrays.copyOf(frame, cap);
      key = Arrays.copyOf(key, cap);
      count = Arrays.copyOf(count, cap);
      next = Arrays.copyOf(next, cap);
    }
    return used++;
  }

  /** Stable nodes in use: the kernel's {@code pages_shared}. */
  long nodes() {
    return nodes;
  }

  /** Mappings beyond each node's first: the kernel's {@code pages_sharing}. */
  long sharing() {
    return sharing;
  }

  long chains() {
    return chains;
  }

  long dups() {
    return dups;
  }
}
