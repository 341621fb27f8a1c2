package org.memvirt.testkit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.memvirt.api.Counter;
import org.memvirt.api.Metrics;
import org.memvirt.api.Settings;
import org.memvirt.api.memory.EntryRules;
import org.memvirt.api.memory.P2m;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.FaultCause;
import org.memvirt.api.reclaim.GuestOs;
import org.memvirt.api.reclaim.Reclaimer;
import org.memvirt.api.reclaim.VmMemory;

/**
 * One VM for testing a technique without the engine: its P2M, as the technique with owner
 * id {@link #owner} sees it, with the engine's rules (entries it holds or owner-0 ones,
 * frames it is entitled to, never below min nor above max; a violation is an
 * {@link AssertionError}), and the invalidation contract (every change of an entry that had
 * a frame is recorded in {@link #invalidations()}). Faults and release requests go to the
 * holder registered for an owner id ({@link #holder}).
 */
public final class FakeVm implements VmMemory, P2m {
  private final int index;
  private final String name;
  private final long[] entries;
  private final long min;
  private final long max;
  private final long shares;
  private final int owner;
  private final FakeHostMemory host;
  private final FakeGuestOs guest;
  private final Map<String, Counter> counters;
  private final Map<Integer, Reclaimer> holders;
  private final Map<Integer, VmMemory> holderViews;
  private final List<Long> invalidations;
  private final EntryRules.Frames frames = new EntryRules.Frames() {
    @Override
    public boolean privateTo(long hppn, long gppn) {
      return host.privateTo(hppn, index, gppn);
    }

    @Override
    public boolean shareable(long hppn) {
      return host.shareable(hppn);
    }

    @Override
    public String describe(long hppn) {
      return "not entitled (private to another page, shared, or free)";
    }
  };
  /** Entries per state, kept with every write (shared by every view). */
  private final long[] stateCounts;
  /** This VM's experiment section, shared by every view. */
  private final Settings[] settings;
  /** Target and active estimate, shared by every view of this VM. */
  private final long[] levels;

  /**
   * A VM of {@code pages} unbacked pages, seen by the technique with owner id {@code owner}.
   */
  public FakeVm(int index, String name, int pages, long min, long max, long shares, int owner,
      FakeHostMemory host) {
    this.index = index;
    this.name = name;
    this.entries = new long[pages];
    this.min = min;
    this.max = max;
    this.shares = shares;
    this.owner = owner;
    this.host = host;
    this.guest = new FakeGuestOs(pages);
    this.invalidations = new ArrayList<>();
    this.counters = new HashMap<>();
    this.holders = new HashMap<>();
    this.holderViews = new HashMap<>();
    this.levels = new long[] {max, -1};
    this.settings = new Settings[] {new MapSettings(Map.of())};
    this.stateCounts = new long[P2mEntry.STATES];
    this.stateCounts[P2mEntry.UNBACKED] = pages;
  }

  private FakeVm(FakeVm vm, int owner) {
    this.index = vm.index;
    this.name = vm.name;
    this.entries = vm.entries;
    this.min = vm.min;
    this.max = vm.max;
    this.shares = vm.shares;
    this.owner = owner;
    this.host = vm.host;
    this.guest = vm.guest;
    this.invalidations = vm.invalidations;
    this.levels = vm.levels;
    this.settings = vm.settings;
    this.stateCounts = vm.stateCounts;
    this.counters = vm.counters;
    this.holders = vm.holders;
    this.holderViews = vm.holderViews;
  }

  /** Uses {@code values} as this VM's experiment section ({@code vms[i]}), for every view. */
  public FakeVm withSettings(Map<String, Object> values) {
    settings[0] = new MapSettings(values);
    return this;
  }

  @Override
  public Settings settings() {
    return settings[0];
  }

  /** The same VM as the technique with owner id {@code owner} sees it (another holder, say). */
  public FakeVm as(int otherOwner) {
    return new FakeVm(this, otherOwner);
  }

  /** Routes faults and release requests on entries with owner id {@code id} to {@code reclaimer}. */
  public void holder(int id, Reclaimer reclaimer, VmMemory view) {
    holders.put(id, reclaimer);
    holderViews.put(id, view);
  }

  /** Backs page {@code gppn} with a new private frame holding {@code token}, as a guest's first touch does. */
  public long back(long gppn, long token) {
    long f = host.allocate(index, gppn);
    if (f == FakeHostMemory.NO_FRAME) {
      throw new AssertionError("vm " + name + ": no frame for page " + gppn);
    }
    host.setContent(f, token);
    put(gppn, P2mEntry.mapped(f));
    guest.use(gppn);
    return f;
  }

  /** Guest physical pages whose entries changed after holding a frame (TLBs would flush them). */
  public List<Long> invalidations() {
    return invalidations;
  }

  // ---- P2m -------------------------------------------------------------------------------

  @Override
  public long pages() {
    return entries.length;
  }

  @Override
  public long get(long gppn) {
    return entries[(int) gppn];
  }

  @Override
  public void set(long gppn, long entry) {
    long old = entries[(int) gppn];
    String refusal = EntryRules.refusal(gppn, old, entry, owner, frames, backedPages(), min, max,
        id -> "owner " + id);
    if (refusal != null) {
      throw new AssertionError("vm " + name + ": " + refusal);
    }
    put(gppn, entry);
    if (P2mEntry.readable(old)) {
      invalidations.add(gppn);
    }
  }

  @Override
  public void markAccessed(long gppn) {
    entries[(int) gppn] |= P2mEntry.ACCESSED;
  }

  @Override
  public void clearAccessed(long gppn) {
    long old = entries[(int) gppn];
    entries[(int) gppn] = old & ~P2mEntry.ACCESSED;
    if (P2mEntry.readable(old)) {
      invalidations.add(gppn);
    }
  }

  // ---- VmMemory ----------------------------------------------------------------------------

  @Override
  public int index() {
    return index;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long minPages() {
    return min;
  }

  @Override
  public long maxPages() {
    return max;
  }

  @Override
  public long shares() {
    return shares;
  }

  @Override
  public long consumedPages() {
    double part = 0;
    long own = 0;
    for (long e : entries) {
      if (P2mEntry.state(e) == P2mEntry.MAPPED) {
        own++;
      } else if (P2mEntry.state(e) == P2mEntry.SHARED && !host.held(P2mEntry.value(e))) {
        part += 1.0 / host.sharers(P2mEntry.value(e));
      }
    }
    return own + Math.round(part);
  }

  @Override
  public long backedPages() {
    return statePages(P2mEntry.MAPPED) + statePages(P2mEntry.SHARED);
  }

  @Override
  public long statePages(int state) {
    return stateCounts[state];
  }

  /** Writes an entry, keeping the counts per state. */
  private void put(long gppn, long entry) {
    stateCounts[P2mEntry.state(entries[(int) gppn])]--;
    stateCounts[P2mEntry.state(entry)]++;
    entries[(int) gppn] = entry;
  }

  @Override
  public long targetPages() {
    return levels[0];
  }

  @Override
  public void setTargetPages(long pages) {
    levels[0] = Math.max(min, Math.min(max, pages));
  }

  @Override
  public long activePages() {
    return levels[1];
  }

  @Override
  public void setActivePages(long pages) {
    levels[1] = pages;
  }

  @Override
  public P2m p2m() {
    return this;
  }

  @Override
  public boolean requestRelease(long gppn, boolean keepContent) {
    long e = entries[(int) gppn];
    int held = P2mEntry.owner(e);
    if (held == 0) {
      return true;
    }
    Reclaimer r = holders.get(held);
    if (r == null || !r.release(holderViews.get(held), gppn, e, keepContent)) {
      return false;
    }
    long now = entries[(int) gppn];
    int state = P2mEntry.state(now);
    if (P2mEntry.owner(now) != 0 || !(state == P2mEntry.MAPPED || (!keepContent && state == P2mEntry.UNBACKED))) {
      throw new AssertionError("vm " + name + " page " + gppn + ": owner " + held + " released it but left it "
          + P2mEntry.stateName(state) + " with owner " + P2mEntry.owner(now));
    }
    return true;
  }

  /**
   * As the engine: the holder of shared page {@code gppn} hands every mapping of its frame to
   * {@code taker}; each arrives as the engine's shared entry, and the frame must be gone after.
   */
  @Override
  public boolean requestReleaseShared(long gppn, org.memvirt.api.reclaim.SharedFrameTaker taker) {
    long e = entries[(int) gppn];
    int held = P2mEntry.owner(e);
    Reclaimer r = holders.get(held);
    if (P2mEntry.state(e) != P2mEntry.SHARED || held == 0 || r == null || host.held(P2mEntry.value(e))) {
      return false;
    }
    long frame = P2mEntry.value(e);
    boolean released = r.releaseShared(holderViews.get(held), gppn, e, taker);
    if (released && host.sharers(frame) != 0) {
      throw new AssertionError("vm " + name + " page " + gppn + ": owner " + held + " released shared frame " + frame
          + " but it still has " + host.sharers(frame) + " sharers");
    }
    return released;
  }

  @Override
  public long touch(long gppn) {
    return access(gppn, FaultCause.HYPERVISOR);
  }

  /**
   * An access to {@code gppn} for {@code cause}, as the engine makes it: a page held by a
   * technique faults to it, an unbacked one gets a zeroed frame. Returns the frame.
   */
  public long access(long gppn, FaultCause cause) {
    long e = entries[(int) gppn];
    boolean usable = cause.write() ? P2mEntry.writable(e) : P2mEntry.readable(e);
    if (!usable) {
      int held = P2mEntry.owner(e);
      if (held == 0) {
        long f = host.allocate(index, gppn);
        if (f == FakeHostMemory.NO_FRAME) {
          throw new AssertionError("vm " + name + ": no frame for page " + gppn);
        }
        put(gppn, P2mEntry.mapped(f));
      } else {
        holders.get(held).fault(holderViews.get(held), gppn, e, cause);
      }
      e = entries[(int) gppn];
      if (!(cause.write() ? P2mEntry.writable(e) : P2mEntry.readable(e))) {
        throw new AssertionError("vm " + name + " page " + gppn + ": owner " + held + " left it "
            + P2mEntry.stateName(P2mEntry.state(e)) + " after a " + cause + " fault");
      }
    }
    return P2mEntry.value(e);
  }

  @Override
  public GuestOs guest() {
    return guest;
  }

  /** The fake guest, to arrange its free and used pages. */
  public FakeGuestOs fakeGuest() {
    return guest;
  }

  @Override
  public Metrics metrics() {
    return n -> counters.computeIfAbsent(n, Counter::new);
  }

  /** The value of counter {@code name} (0 if nothing counted it). */
  public long count(String counterName) {
    Counter c = counters.get(counterName);
    return c == null ? 0 : c.get();
  }
}
