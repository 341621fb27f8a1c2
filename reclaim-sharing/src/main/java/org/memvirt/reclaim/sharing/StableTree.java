package org.memvirt.reclaim.sharing;

import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import java.util.Arrays;

/**
 * KSM's stable tree (mm/ksm.c): one stable node per merged frame, found by content. A node
 * counts its rmap items ({@code rmap_hlist_len}) apart from the pages that still map its
 * frame: a page that stops mapping it (a copy-on-write, another technique taking it) keeps
 * its item on the node until ksmd next visits the page, as in the kernel, and a node whose
 * frame is gone is stale until a search or a visit meets it. A node takes at most
 * {@code max_page_sharing} items; more pages of one content get further nodes (dups) in a
 * chain, newest first. A search takes the chain's first dup with room, except once every
 * {@code stable_node_chains_prune_millisecs}, when it walks the whole chain, drops stale
 * dups, takes the fullest with room and collapses a chain left with one dup. Nodes live in
 * primitive arrays with a free list; lookups by content and by frame are hash maps, so a
 * search costs what the kernel's tree walk does only in the comparisons charged ({@link #depth}).
 */
final class StableTree {
  static final int NONE = -1;
  private static final long GONE = -1;

  /** Content key → the chain's (or the lone node's) first node. */
  private final Long2LongOpenHashMap byKey = LongMaps.create();
  /** Content key → when its chain was last pruned; present exactly for the keys that are chains. */
  private final Long2LongOpenHashMap chainPrunedAt = LongMaps.create();
  /** Frame → its node, for nodes whose frame is still there. */
  private final Long2LongOpenHashMap byFrame = LongMaps.create();
  private long[] frame = new long[64];
  private long[] key = new long[64];
  /** Rmap items on the node (the kernel's rmap_hlist_len). */
  private int[] items = new int[64];
  /** Pages mapping the node's frame now. */
  private int[] mapped = new int[64];
  private int[] next = new int[64];
  /** Bumped each time a slot is reused, so an item can tell whether its node is still the one it joined. */
  private int[] generation = new int[64];
  private int freeList = NONE;
  private int used;
  private long shared;
  private long sharing;
  private long dups;

  /** Comparisons a search makes: the depth of a balanced tree of the contents held. */
  int depth() {
    return 64 - Long.numberOfLeadingZeros(byKey.size());
  }

  /**
   * stable_tree_search's choice among the nodes of content {@code k}: the node a page of
   * that content joins, or -1 when none has room (the page then waits for a partner in the
   * unstable tree, to start a new dup).
   */
  int search(long k, int maxPageSharing, long nowNanos, long pruneNanos) {
    long head = byKey.get(k);
    if (head == LongMaps.MISSING) {
      return NONE;
    }
    int first = (int) head;
    if (!chainPrunedAt.containsKey(k)) {
      if (stale(first)) {
        removeNode(first);
        return NONE;
      }
      return candidate(first, 0, maxPageSharing) ? first : NONE;
    }
    boolean prune = nowNanos - chainPrunedAt.get(k) >= pruneNanos;
    if (prune) {
      chainPrunedAt.put(k, nowNanos);
    }
    int found = NONE;
    int live = 0;
    for (int n = first; n != NONE;) {
      int after = next[n];
      if (stale(n)) {
        removeNode(n);
      } else {
        live++;
        if (candidate(n, 0, maxPageSharing) && (found == NONE || items[n] > items[found])) {
          found = n;
          if (!prune) {
            break;
          }
        }
      }
      n = after;
    }
    if (found == NONE) {
      return NONE;
    }
    if (prune && live == 1) {
      chainPrunedAt.remove(k); // one dup left, with room: the chain collapses into it
      dups--;
    } else if ((int) byKey.get(k) != found && candidate(found, 1, maxPageSharing)) {
      unlink(found);
      next[found] = (int) byKey.get(k);
      byKey.put(k, found);
    }
    return found;
  }

  /** is_page_sharing_candidate: some item still on it, and room for {@code more} + 1 items. */
  private boolean candidate(int n, int more, int maxPageSharing) {
    return items[n] > 0 && items[n] + more < maxPageSharing;
  }

  private boolean stale(int n) {
    return frame[n] == GONE;
  }

  long frame(int node) {
    return frame[node];
  }

  int count(int node) {
    return items[node];
  }

  /** The node an item that joined {@code node} is on, as {@link #live} reads it back. */
  long ticket(int node) {
    return ((long) generation[node] << 32) | node;
  }

  /**
   * A new node for frame {@code f}, content {@code k}, with {@code pages} pages mapping it:
   * first in the chain of {@code k}, which a second node of that content starts.
   */
  int insert(long k, long f, int pages, long nowNanos) {
    int n = allocate();
    frame[n] = f;
    key[n] = k;
    items[n] = pages;
    mapped[n] = pages;
    byFrame.put(f, n);
    long head = byKey.get(k);
    next[n] = head == LongMaps.MISSING ? NONE : (int) head;
    byKey.put(k, n);
    if (head != LongMaps.MISSING) {
      if (!chainPrunedAt.containsKey(k)) {
        chainPrunedAt.put(k, nowNanos);
        dups++;
      }
      dups++;
    }
    shared++;
    sharing += pages - 1;
    return n;
  }

  /** One more page maps node {@code n} and has its item there. */
  void add(int n) {
    items[n]++;
    mapped[n]++;
    if (items[n] == 1) {
      shared++;
    } else {
      sharing++;
    }
  }

  /** The node of frame {@code f}, or -1. */
  int nodeOf(long f) {
    long n = byFrame.get(f);
    return n == LongMaps.MISSING ? NONE : (int) n;
  }

  /**
   * A page stopped mapping node {@code n}'s frame; its item stays until its page is visited.
   * With no page left, the frame is gone and the node stale. Returns the pages still mapping it.
   */
  int unmap(int n) {
    mapped[n]--;
    if (mapped[n] == 0) {
      byFrame.remove(frame[n]);
      frame[n] = GONE;
    }
    return mapped[n];
  }

  /** Whether the node an item joined under {@code ticket} is still there, the same node. */
  boolean live(long ticket) {
    int n = (int) ticket;
    return n < used && generation[n] == (int) (ticket >>> 32) && items[n] > 0;
  }

  /**
   * remove_rmap_item_from_tree for an item whose page no longer maps the node of
   * {@code ticket}: off the node, which goes if it is stale (with all its items). Nothing
   * when that node went already.
   */
  void removeItem(long ticket) {
    if (!live(ticket)) {
      return;
    }
    int n = (int) ticket;
    if (stale(n)) {
      removeNode(n);
      return;
    }
    items[n]--;
    if (items[n] == 0) {
      shared--;
    } else {
      sharing--;
    }
  }

  /** A node leaves the tree, every item on it with it. */
  private void removeNode(int n) {
    if (items[n] > 0) {
      shared--;
      sharing -= items[n] - 1;
    }
    if (!stale(n)) {
      byFrame.remove(frame[n]);
    }
    long k = key[n];
    boolean chain = chainPrunedAt.containsKey(k);
    unlink(n);
    if (chain) {
      dups--;
      if (!byKey.containsKey(k)) {
        chainPrunedAt.remove(k); // an empty chain is freed
      }
    }
    generation[n]++;
    items[n] = 0;
    mapped[n] = 0;
    next[n] = freeList;
    freeList = n;
  }

  /** Takes {@code n} out of its content's list. */
  private void unlink(int n) {
    long k = key[n];
    int head = (int) byKey.get(k);
    if (head == n) {
      if (next[n] == NONE) {
        byKey.remove(k);
      } else {
        byKey.put(k, next[n]);
      }
      return;
    }
    int prev = head;
    while (next[prev] != n) {
      prev = next[prev];
    }
    next[prev] = next[n];
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
      items = Arrays.copyOf(items, cap);
      mapped = Arrays.copyOf(mapped, cap);
      next = Arrays.copyOf(next, cap);
      generation = Arrays.copyOf(generation, cap);
    }
    return used++;
  }

  /** Nodes with an item: the kernel's {@code pages_shared}. */
  long nodes() {
    return shared;
  }

  /** Items beyond each node's first: the kernel's {@code pages_sharing}. */
  long sharing() {
    return sharing;
  }

  long chains() {
    return chainPrunedAt.size();
  }

  long dups() {
    return dups;
  }
}
