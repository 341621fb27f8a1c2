package org.memvirt.mmu.ept;

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
 * A hand-built machine behind the api views: guest tables in a map, a P2M array, an
 * unbounded TLB. The hypervisor backs guest page g with host frame g + 1000.
 */
final class FakeMachine implements MmuContext, GuestPageTables, P2m, Metrics {
  final int levels;
  final Map<Long, long[]> tables = new HashMap<>();
  final long[] p2m = new long[4096];
  final Map<String, Counter> counters = new HashMap<>();
  int resolved;
  long nextFrame = 1;

  FakeMachine(int levels) {
    this.levels = levels;
  }

  /** Guest root table, backed. */
  long newTable() {
    long gppn = nextFrame++;
    tables.put(gppn, new long[Pte.ENTRIES]);
    p2m[(int) gppn] = P2mEntry.mapped(gppn + 1000);
    return gppn;
  }

  /** Maps gva to a new guest data page (backed or not) and returns that page. */
  long map(long root, long gva, boolean backed) {
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
      p2m[(int) data] = P2mEntry.mapped(data + 1000);
    }
    return data;
  }

  long leaf(long root, long gva, int level) {
    long table = root;
    for (int l = levels; l > level; l--) {
      table = Pte.frame(tables.get(table)[Pte.index(gva, l)]);
    }
    return tables.get(table)[Pte.index(gva, level)];
  }

  long count(String name) {
    Counter c = counters.get(name);
    return c == null ? 0 : c.get();
  }

  VcpuContext vcpu(Tlb tlb) {
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

  /** Walk caches of the vCPUs made next; off unless a test sets them. */
  WalkCache guestCache = new MapWalkCache(0);
  WalkCache nestedCache = new MapWalkCache(0);
  WalkCache nestedTlb = new MapWalkCache(0);

  /** A walk cache with no replacement (unbounded) or off (0). */
  static final class MapWalkCache implements WalkCache {
    final int entries;
    final Map<String, Long> map = new HashMap<>();
    int hits;

    MapWalkCache(int entries) {
      this.entries = entries;
    }

    @Override
    public int entriesPerLevel() {
      return entries;
    }

    @Override
    public long lookup(int level, long key) {
      Long v = map.get(level + ":" + key);
      if (v == null) {
        return MISS;
      }
      hits++;
      return v;
    }

    @Override
    public void fill(int level, long key, long value) {
      if (entries > 0) {
        map.put(level + ":" + key, value);
      }
    }

    @Override
    public void flush() {
      map.clear();
    }
  }

  // MmuContext
  @Override
  public String vmName() {
    return "vm";
  }

  @Override
  public Settings settings() {
    throw new UnsupportedOperationException();
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
    p2m[(int) gppn] = P2mEntry.mapped(gppn + 1000);
    return gppn + 1000;
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

  /** A TLB with no capacity limit. */
  static final class MapTlb implements Tlb {
    final Map<Long, Long> entries = new HashMap<>();
    int flushes;

    @Override
    public long lookup(long vpn, int kind) {
      return entries.getOrDefault(vpn, MISS);
    }

    @Override
    public void fill(long vpn, long value, int kind) {
      entries.put(vpn, value);
    }

    @Override
    public void invalidate(long vpn) {
      entries.remove(vpn);
    }

    @Override
    public void flush() {
      flushes++;
      entries.clear();
    }
  }
}
