package org.memvirt.testkit;

import java.util.HashMap;
import java.util.Map;
import org.memvirt.api.mmu.Tlb;
import org.memvirt.api.mmu.TlbEntry;

/**
 * A TLB with no capacity limit and no tags: 4 KiB and 2 MiB entries in one map. A
 * {@link FakeVcpu} looks it up and fills it; a test may extend it to watch.
 */
public class MapTlb implements Tlb {
  /** What {@link #lookup} finds when no entry matches. */
  public static final long MISS = TlbEntry.MISS;
  private final Map<Long, Long> entries = new HashMap<>();
  private int flushes;

  /** Whole flushes so far. */
  public int flushes() {
    return flushes;
  }

  /** The entry for {@code vpn} (4 KiB, or the 2 MiB one covering it), or {@link #MISS}. */
  public long lookup(long vpn, int kind) {
    Long v = entries.get(vpn);
    return v != null ? v : entries.getOrDefault(-1 - (vpn >>> 9), MISS);
  }

  /** Installs a walk's {@link TlbEntry} for {@code vpn}, covering its 2 MiB page when the entry is large. */
  public void fill(long vpn, long entry, int kind) {
    entries.put(TlbEntry.isLarge(entry) ? -1 - (vpn >>> 9) : vpn, entry);
  }

  @Override
  public void invalidate(long vpn) {
    entries.remove(vpn);
    entries.remove(-1 - (vpn >>> 9));
  }

  @Override
  public void flush() {
    flushes++;
    entries.clear();
  }
}
