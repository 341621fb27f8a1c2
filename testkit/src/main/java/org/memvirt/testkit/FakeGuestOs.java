package org.memvirt.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.memvirt.api.reclaim.GuestMemoryListener;
import org.memvirt.api.reclaim.GuestOs;

/**
 * A guest OS for testing a balloon driver: pages are used, free or pinned; {@link #pinPage}
 * gives the lowest free page, else (with {@link #swapUpTo} swap room) swaps out the highest
 * used page to give that, else refuses (-1); {@link #pinFreePage} never swaps. Listeners
 * hear of pages the test frees ({@link #freePage}) and of out-of-memory
 * ({@link #outOfMemory}).
 */
public final class FakeGuestOs implements GuestOs {
  private final TreeSet<Long> free = new TreeSet<>();
  private final TreeSet<Long> pinned = new TreeSet<>();
  private final TreeSet<Long> used = new TreeSet<>();
  private final List<GuestMemoryListener> listeners = new ArrayList<>();
  private final int pages;
  private long swapRoom;
  private long swappedOut;

  FakeGuestOs(int pages) {
    this.pages = pages;
    for (long g = 0; g < pages; g++) {
      free.add(g);
    }
  }

  /** The guest starts using {@code gppn}. */
  public void use(long gppn) {
    if (free.remove(gppn)) {
      used.add(gppn);
    }
  }

  /** The guest frees {@code gppn}: listeners hear of it. */
  public void freePage(long gppn) {
    used.remove(gppn);
    free.add(gppn);
    listeners.forEach(l -> l.onPageFreed(gppn));
  }

  /** The guest runs out of memory: listeners may give pages back. Returns what they gave. */
  public long outOfMemory(long wanted) {
    long given = 0;
    for (GuestMemoryListener l : listeners) {
      given += l.onOutOfMemory(wanted - given);
    }
    return given;
  }

  /** {@link #pinPage} may swap out up to {@code pages} used pages when none is free. */
  public void swapUpTo(long pages) {
    this.swapRoom = pages;
  }

  /** Used pages swapped out to give a pinned page. */
  public long swappedOut() {
    return swappedOut;
  }

  /** Pages pinned now. */
  public java.util.Set<Long> pinned() {
    return java.util.Collections.unmodifiableSet(pinned);
  }

  @Override
  public long usedPages() {
    return pages - free.size();
  }

  @Override
  public long freePages() {
    return free.size();
  }

  @Override
  public long pinnedPages() {
    return pinned.size();
  }

  @Override
  public long pinPage() {
    if (free.isEmpty() && swapRoom > 0 && !used.isEmpty()) {
      swapRoom--;
      swappedOut++;
      freePage(used.last());
    }
    return pinFreePage();
  }

  @Override
  public long pinFreePage() {
    Long g = free.pollFirst();
    if (g == null) {
      return -1;
    }
    pinned.add(g);
    return g;
  }

  @Override
  public boolean isFree(long gppn) {
    return free.contains(gppn);
  }

  @Override
  public void unpinPage(long gppn) {
    if (!pinned.remove(gppn)) {
      throw new AssertionError("guest page " + gppn + " unpinned but not pinned");
    }
    free.add(gppn);
  }

  @Override
  public void addListener(GuestMemoryListener listener) {
    listeners.add(listener);
  }
}
