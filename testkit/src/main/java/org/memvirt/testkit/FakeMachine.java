package org.memvirt.testkit;

import java.util.HashMap;
import java.util.Map;
import org.memvirt.api.Counter;
import org.memvirt.api.Metrics;
import org.memvirt.api.Settings;
import org.memvirt.api.memory.P2m;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.mmu.GuestPageTables;
import org.memvirt.api.mmu.MmuContext;
import org.memvirt.api.mmu.Pte;
import org.memvirt.api.mmu.Tlb;
import org.memvirt.api.mmu.VcpuContext;
import org.memvirt.api.mmu.WalkCache;

/**
 * A hand-built machine behind the api views, for testing an MMU plugin without the engine:
 * guest page tables in a map, a P2M array of 4096 guest pages, counters, and on request a
 * TLB and walk caches with no capacity limit. The hypervisor backs guest page g with host
 * frame g + 1000. Tables and mappings are made by hand with {@link #newTable()} and
 * {@link #map}; nothing here traps or counts on its own.
 */
public final class FakeMachine implements MmuContext, GuestPageTables, P2m, Metrics {
  /** Offset between a guest page and the host frame that backs it. */
  public static final long HOST_OFFSET = 1000;

  private final int levels;
  private final Map<Long, long[]> tables = new HashMap<>();
  private final long[] p2m = new long[4096];
  private final Map<String, Counter> counters = new HashMap<>();
  private Settings settings = new MapSettings(Map.of());
  private int resolved;
  private long nextFrame = 1;

  /** A machine whose guest tables have {@code levels} levels. */
  public FakeMachine(int levels) {
    this.levels = levels;
  }

  /** Uses {@code values} as the MMU's settings. */
  public FakeMachine withSettings(Map<String, Object> values) {
    this.settings = new MapSettings(values);
    return this;
  }

  /** Nested faults resolved so far. */
  public int resolved() {
    return resolved;
  }

  /** Sets a P2M entry directly (no invalidation: the test decides what to tell the MMU). */
  public void setP2m(long gppn, long entry) {
    p2m[(int) gppn] = entry;
  }

  /** Writes guest entry {@code index} of table {@code tableGppn} directly (no trap). */
  public void writeGuestEntry(long tableGppn, int index, long entry) {
    tables.get(tableGppn)[index] = entry;
  }

  /** A new, backed, empty guest table; returns its guest page. */
  public long newTable() {
    long gppn = nextFrame++;
    tables.put(gppn, new long[Pte.ENTRIES]);
    p2m[(int) gppn] = P2mEntry.mapped(gppn + HOST_OFFSET);
    return gppn;
  }

  /** Maps {@code gva} under {@code root} to a new guest data page (backed or not), building tables; returns the page. */
  public long map(long root, long gva, boolean backed) {
    long table = root;
    for (int level = levels; level > 1; level--) {
      long[] t = tables.get(table);
      int i = Pte.index(gva, level);
      if (!Pte.present(t[i])) {
        t[i] = Pte.make(newTable(), Pte.PRESENT | Pte.WRITABLE);
      }
      table = Pte.frame(t[i]);
    }
    long data = nextFrame++;
    tables.get(table)[Pte.index(gva, 1)] = Pte.make(data, Pte.PRESENT | Pte.WRITABLE);
    if (backed) {
      p2m[(int) data] = P2mEntry.mapped(data + HOST_OFFSET);
    }
    return data;
  }

  /** The guest entry for {@code gva} at {@code level} under {@code root}. */
  public long leaf(long root, long gva, int level) {
    long table = root;
    for (int l = levels; l > level; l--) {
      table = Pte.frame(tables.get(table)[Pte.index(gva, l)]);
    }
    return tables.get(table)[Pte.index(gva, level)];
  }

  /** The value of counter {@code name} (0 if nothing counted it). */
  public long count(String name) {
    Counter c = counters.get(name);
    return c == null ? 0 : c.get();
  }

  /** The context of a vCPU using {@code tlb} and the walk caches set on this machine. */
  public VcpuContext vcpu(Tlb tlb) {
    FakeMachine m = this;
    return new VcpuContext() {
      @Override
      public int index() {
        return 0;
      }

      @Override
      public Tlb tlb() {
        return tlb;
      }

      @Override
      public Metrics metrics() {
        return m;
      }

      @Override
      public WalkCache walkCache() {
        return guestCache;
      }

      @Override
      public WalkCache nestedWalkCache() {
        return nestedCache;
      }

      @Override
      public WalkCache nestedTlb() {
        return nestedTlb;
      }
    };
  }

  private WalkCache guestCache = new MapWalkCache(0);
  private WalkCache nestedCache = new MapWalkCache(0);
  private WalkCache nestedTlb = new MapWalkCache(0);

  /** Walk caches for the vCPUs made next (all off by default). */
  public FakeMachine withWalkCaches(WalkCache guest, WalkCache nested, WalkCache nestedTlbCache) {
    this.guestCache = guest;
    this.nestedCache = nested;
    this.nestedTlb = nestedTlbCache;
    return this;
  }


  // MmuContext
  @Override
  public String vmName() {
    return "vm";
  }

  @Override
  public Settings settings() {
    return settings;
  }

  @Override
  public GuestPageTables guestPageTables() {
    return this;
  }

  @Override
  public P2m p2m() {
    return this;
  }

  @Override
  public long resolveNestedFault(long gppn, boolean write) {
    resolved++;
    p2m[(int) gppn] = P2mEntry.mapped(gppn + HOST_OFFSET);
    return gppn + HOST_OFFSET;
  }

  @Override
  public Metrics metrics() {
    return this;
  }

  @Override
  public Counter counter(String name) {
    return counters.computeIfAbsent(name, Counter::new);
  }

  // GuestPageTables
  @Override
  public int levels() {
    return levels;
  }

  @Override
  public long read(long tableGppn, int index) {
    return tables.get(tableGppn)[index];
  }

  @Override
  public void setBits(long tableGppn, int index, long bits) {
    tables.get(tableGppn)[index] |= bits;
  }

  // P2m
  @Override
  public long pages() {
    return p2m.length;
  }

  @Override
  public long get(long gppn) {
    return p2m[(int) gppn];
  }

  @Override
  public void set(long gppn, long entry) {
    p2m[(int) gppn] = entry;
  }

  @Override
  public void markAccessed(long gppn) {
    p2m[(int) gppn] |= P2mEntry.ACCESSED;
  }

  @Override
  public void clearAccessed(long gppn) {
    p2m[(int) gppn] &= ~P2mEntry.ACCESSED;
  }

}
