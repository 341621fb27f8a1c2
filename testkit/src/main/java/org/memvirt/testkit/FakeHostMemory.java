package org.memvirt.testkit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.memvirt.api.memory.HostMemory;
import org.memvirt.api.memory.HostMemoryState;
import org.memvirt.api.memory.P2mEntry;

/**
 * Host memory for testing a technique without the engine, with the engine's ownership
 * contract: a frame is free, private to one (vm, gppn), shared with a reference count, or
 * held by the technique under test. Operations the contract forbids fail with an
 * {@link AssertionError} naming the frame. Frames are zeroed on the way to a VM. An
 * allocation for a VM at its limit first asks {@link #onLimit} to make room, as the engine
 * asks the VM's techniques.
 */
public final class FakeHostMemory implements HostMemory {
  private static final int FREE = -1;
  private static final int SHARED = -2;
  private static final int HELD = -3;

  private final int[] holder;
  private final int[] tag;
  private final long[] content;
  private final Deque<Integer> free = new ArrayDeque<>();
  private List<FakeVm> vms = List.of();
  private java.util.function.Consumer<FakeVm> onLimit = vm -> {};
  private long zeroed;

  /** A host of {@code frames} free frames. */
  public FakeHostMemory(int frames) {
    holder = new int[frames];
    tag = new int[frames];
    content = new long[frames];
    for (int f = 0; f < frames; f++) {
      holder[f] = FREE;
      free.addLast(f);
    }
  }

  /** The VMs, by index, for limits and for the frame check. */
  public void attach(List<FakeVm> vms) {
    this.vms = vms;
  }

  /** What to do when a VM at its limit wants a frame (ask its technique to reclaim). */
  public void onLimit(java.util.function.Consumer<FakeVm> makeRoom) {
    this.onLimit = makeRoom;
  }

  /** Frames zeroed so far. */
  public long zeroed() {
    return zeroed;
  }

  @Override
  public long totalFrames() {
    return holder.length;
  }

  @Override
  public long freeFrames() {
    return free.size();
  }

  @Override
  public HostMemoryState state() {
    double f = (double) free.size() / holder.length;
    for (HostMemoryState s : HostMemoryState.values()) {
      if (f >= s.esxFraction()) {
        return s;
      }
    }
    return HostMemoryState.LOW;
  }

  @Override
  public long allocate(int vm, long gppn) {
    FakeVm v = vms.get(vm);
    if (!P2mEntry.readable(v.get(gppn)) && v.backedPages() >= v.maxPages()) {
      onLimit.accept(v);
      if (v.backedPages() >= v.maxPages()) {
        return NO_FRAME;
      }
    }
    if (free.isEmpty()) {
      return NO_FRAME;
    }
    int f = free.removeFirst();
    holder[f] = vm;
    tag[f] = (int) gppn;
    content[f] = 0;
    zeroed++;
    return f;
  }

  @Override
  public long allocateHeld() {
    if (free.isEmpty()) {
      return NO_FRAME;
    }
    int f = free.removeFirst();
    holder[f] = HELD;
    tag[f] = 0;
    content[f] = 0;
    zeroed++;
    return f;
  }

  @Override
  public void free(long hppn) {
    int f = frame(hppn);
    if (holder[f] == FREE) {
      throw fail(f, "freed twice");
    }
    if (holder[f] == SHARED || (holder[f] == HELD && tag[f] != 0)) {
      throw fail(f, "freed while " + tag[f] + " pages share it");
    }
    holder[f] = FREE;
    free.addLast(f);
  }

  @Override
  public void share(long hppn) {
    int f = frame(hppn);
    if (holder[f] < 0) {
      throw fail(f, "shared but not private");
    }
    holder[f] = SHARED;
    tag[f] = 1;
  }

  @Override
  public void addSharer(long hppn) {
    int f = frame(hppn);
    if (holder[f] != SHARED && holder[f] != HELD) {
      throw fail(f, "gained a sharer but is not shared or held");
    }
    tag[f]++;
  }

  @Override
  public long dropSharer(long hppn) {
    int f = frame(hppn);
    if ((holder[f] != SHARED && holder[f] != HELD) || tag[f] == 0) {
      throw fail(f, "lost a sharer it does not have");
    }
    int left = --tag[f];
    if (holder[f] == SHARED && left == 0) {
      holder[f] = FREE;
      free.addLast(f);
    }
    return left;
  }

  @Override
  public void makePrivate(long hppn, int vm, long gppn) {
    int f = frame(hppn);
    if (holder[f] != SHARED || tag[f] != 1) {
      throw fail(f, "made private but not shared by exactly one page");
    }
    holder[f] = vm;
    tag[f] = (int) gppn;
  }

  @Override
  public void give(long hppn, int vm, long gppn) {
    int f = frame(hppn);
    if (holder[f] == FREE || holder[f] == SHARED || (holder[f] == HELD && tag[f] != 0)) {
      throw fail(f, "given to a page but it is free or shared");
    }
    if (holder[f] != vm) {
      content[f] = 0;
      zeroed++;
    }
    holder[f] = vm;
    tag[f] = (int) gppn;
  }

  @Override
  public void take(long hppn) {
    int f = frame(hppn);
    if (holder[f] < 0) {
      throw fail(f, "taken but not private");
    }
    holder[f] = HELD;
    tag[f] = 0;
  }

  @Override
  public long sharers(long hppn) {
    int f = frame(hppn);
    return holder[f] == SHARED || holder[f] == HELD ? tag[f] : 0;
  }

  @Override
  public long heldFrames() {
    long n = 0;
    for (int h : holder) {
      n += h == HELD ? 1 : 0;
    }
    return n;
  }

  @Override
  public long content(long hppn) {
    return content[frame(hppn)];
  }

  @Override
  public void setContent(long hppn, long token) {
    content[frame(hppn)] = token;
  }

  /** Whether frame {@code hppn} is private to (vm, gppn). */
  public boolean privateTo(long hppn, int vm, long gppn) {
    int f = (int) hppn;
    return f >= 0 && f < holder.length && holder[f] == vm && tag[f] == gppn;
  }

  /** Whether frame {@code hppn} may be mapped read-only by several pages. */
  public boolean shareable(long hppn) {
    int f = (int) hppn;
    return f >= 0 && f < holder.length && (holder[f] == SHARED || holder[f] == HELD);
  }

  /** Whether frame {@code hppn} is held by the technique (charged to no VM). */
  public boolean held(long hppn) {
    return holder[(int) hppn] == HELD;
  }

  /**
   * The frame-table invariant over these VMs: every frame accounted exactly once, every
   * reference count equal to its sharers, no page mapping a frame it is not entitled to.
   */
  public void checkFrames() {
    int[] refs = new int[holder.length];
    for (FakeVm vm : vms) {
      for (long g = 0; g < vm.pages(); g++) {
        long e = vm.get(g);
        if (!P2mEntry.readable(e)) {
          continue;
        }
        long f = P2mEntry.value(e);
        if (P2mEntry.state(e) == P2mEntry.MAPPED && !privateTo(f, vm.index(), g)) {
          throw new AssertionError("vm " + vm.name() + " page " + g + " maps frame " + f + " writable, not its own");
        }
        if (P2mEntry.state(e) == P2mEntry.SHARED && !shareable(f)) {
          throw new AssertionError("vm " + vm.name() + " page " + g + " maps frame " + f + " shared, but it is not");
        }
        refs[(int) f]++;
      }
    }
    for (int f = 0; f < holder.length; f++) {
      if (holder[f] == FREE && refs[f] != 0) {
        throw fail(f, "is free but mapped " + refs[f] + " times");
      }
      if (holder[f] >= 0 && refs[f] != 1) {
        throw fail(f, "is private but no page maps it (a leaked frame)");
      }
      if ((holder[f] == SHARED || holder[f] == HELD) && refs[f] != tag[f]) {
        throw fail(f, "has " + tag[f] + " sharers but " + refs[f] + " pages map it");
      }
    }
  }

  private int frame(long hppn) {
    if (hppn < 0 || hppn >= holder.length) {
      throw new AssertionError("no host frame " + hppn);
    }
    return (int) hppn;
  }

  private static AssertionError fail(int frame, String what) {
    return new AssertionError("host frame " + frame + " " + what);
  }
}
