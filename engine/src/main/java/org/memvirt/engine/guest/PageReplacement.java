package org.memvirt.engine.guest;

import java.util.Locale;
import org.memvirt.engine.host.LazyIntArray;

/**
 * The guest's choice of which resident data page to evict: FIFO, LRU or CLOCK, over one
 * intrusive doubly linked list of guest frames (primitive arrays, no object per page).
 *
 * <ul>
 *   <li>FIFO evicts the page resident longest.
 *   <li>LRU evicts the page used least recently. It is told of every access, which real
 *       hardware cannot do: it is the ideal that CLOCK approximates.
 *   <li>CLOCK sweeps a hand over the pages in the order they arrived; a page whose
 *       reference bit (the accessed bit of its PTE) is set gets the bit cleared and is
 *       passed over, the first page found unreferenced is evicted. Convention: a new page
 *       starts <em>referenced</em>, because the access that faulted it in sets the accessed
 *       bit when it retries; it enters the ring just behind the hand, so it is examined last.
 * </ul>
 */
public final class PageReplacement {
  public enum Policy {
    FIFO, LRU, CLOCK;

    public static Policy parse(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT));
    }
  }

  /** Reads and clears a page's reference bit. */
  public interface ReferenceBits {
    boolean testAndClear(int frame);
  }

  private final Policy policy;
  private final int sentinel;
  /** Links per frame, in chunks made when first written: frames never resident cost nothing. */
  private final LazyIntArray prev;
  private final LazyIntArray next;
  private int size;
  private int hand = -1;

  public PageReplacement(Policy policy, int frames) {
    this.policy = policy;
    this.sentinel = frames;
    this.prev = new LazyIntArray(frames + 1L, -1);
    this.next = new LazyIntArray(frames + 1L, 0);
    prev.set(sentinel, sentinel);
    next.set(sentinel, sentinel);
  }

  public Policy policy() {
    return policy;
  }

  public int size() {
    return size;
  }

  public boolean contains(int frame) {
    return prev.get(frame) != -1;
  }

  /** A page became resident. */
  public void add(int frame) {
    if (contains(frame)) {
      throw new IllegalStateException("frame " + frame + " is already resident");
    }
    int before = policy == Policy.CLOCK && hand >= 0 ? hand : sentinel;
    linkBefore(frame, before);
    if (policy == Policy.CLOCK && hand < 0) {
      hand = frame;
    }
    size++;
  }

  /** The page was accessed (only LRU acts on it). */
  public void touch(int frame) {
    if (policy == Policy.LRU && prev.get(frame) != -1 && next.get(frame) != sentinel) {
      unlink(frame);
      linkBefore(frame, sentinel);
    }
  }

  /** The page left residency for another reason (its process exited, ...). */
  public void remove(int frame) {
    if (!contains(frame)) {
      return;
    }
    if (frame == hand) {
      hand = size == 1 ? -1 : successor(frame);
    }
    unlink(frame);
    size--;
  }

  /** Chooses a page to evict and removes it; -1 if none is resident. */
  public int victim(ReferenceBits bits) {
    if (size == 0) {
      return -1;
    }
    int v;
    if (policy == Policy.CLOCK) {
      while (bits.testAndClear(hand)) {
        hand = successor(hand);
      }
      v = hand;
    } else {
      v = next.get(sentinel);
    }
    remove(v);
    return v;
  }

  private int successor(int frame) {
    int s = next.get(frame);
    return s == sentinel ? next.get(sentinel) : s;
  }

  private void linkBefore(int frame, int before) {
    int p = prev.get(before);
    next.set(p, frame);
    prev.set(frame, p);
    next.set(frame, before);
    prev.set(before, frame);
  }

  private void unlink(int frame) {
    int p = prev.get(frame);
    int n = next.get(frame);
    next.set(p, n);
    prev.set(n, p);
    prev.set(frame, -1);
  }
}
