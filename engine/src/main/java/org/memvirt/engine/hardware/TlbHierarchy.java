package org.memvirt.engine.hardware;

import org.memvirt.api.AccessKind;
import org.memvirt.api.Counter;
import org.memvirt.api.MetricNames;
import org.memvirt.api.Metrics;
import org.memvirt.api.mmu.Tlb;
import org.memvirt.api.mmu.TlbEntry;

/**
 * A vCPU's TLBs: L1 instruction and L1 data, backed by a unified L2. Default geometry
 * (experiment keys mmu.tlb.*) is a recent Intel core's: L1 dTLB 64 entries 4-way, L1 iTLB
 * 64 entries 4-way (reference notes: 64-128), L2 STLB 1536 entries 12-way. Entries carry
 * the address-space tag current when they were filled; with {@code tagged} off (no
 * PCID/VPID) switching to another tag flushes everything.
 */
public final class TlbHierarchy implements Tlb {
  /** L2 keys of 2 MiB entries: the 2 MiB page number with this bit, apart from 4 KiB keys. */
  private static final long LARGE_KEY = 1L << 62;

  private final SetAssociativeTlb l1i;
  private final SetAssociativeTlb l1d;
  private final SetAssociativeTlb l1iLarge;
  private final SetAssociativeTlb l1dLarge;
  private final SetAssociativeTlb l2;
  private final boolean tagged;
  private final Counter l1iMisses;
  private final Counter l1dMisses;
  private final Counter l2Hits;
  private final Counter l2Misses;
  private final Counter flushes;
  private long tag;

  public TlbHierarchy(SetAssociativeTlb l1i, SetAssociativeTlb l1d, SetAssociativeTlb l2, boolean tagged,
      Metrics metrics) {
    // Intel's 2 MiB L1 entries: 8 fully associative (iTLB), 32 4-way (dTLB).
    this(l1i, l1d, new SetAssociativeTlb(8, 8), new SetAssociativeTlb(32, 4), l2, tagged, metrics);
  }

  /** With explicit 2 MiB L1 TLBs; the L2 holds both sizes (as the STLB of recent Intel cores). */
  public TlbHierarchy(SetAssociativeTlb l1i, SetAssociativeTlb l1d, SetAssociativeTlb l1iLarge,
      SetAssociativeTlb l1dLarge, SetAssociativeTlb l2, boolean tagged, Metrics metrics) {
    this.l1i = l1i;
    this.l1d = l1d;
    this.l1iLarge = l1iLarge;
    this.l1dLarge = l1dLarge;
    this.l2 = l2;
    this.tagged = tagged;
    this.l1iMisses = metrics.counter(MetricNames.TLB_L1I_MISSES);
    this.l1dMisses = metrics.counter(MetricNames.TLB_L1D_MISSES);
    this.l2Hits = metrics.counter(MetricNames.TLB_L2_HITS);
    this.l2Misses = metrics.counter(MetricNames.TLB_L2_MISSES);
    this.flushes = metrics.counter(MetricNames.TLB_FLUSH);
  }

  /**
   * Looks up {@code vpn} for an access of {@code kind}: an L1 miss looks up the L2, an L2
   * hit fills the L1. The entry, or {@link TlbEntry#MISS}.
   */
  public long lookup(long vpn, int kind) {
    return lookup(vpn, kind, true);
  }

  /**
   * The lookup of an access re-executed after a fault was resolved: the same search and
   * refills, its misses not counted again, so that misses never exceed accesses.
   */
  public long relookup(long vpn, int kind) {
    return lookup(vpn, kind, false);
  }

  private long lookup(long vpn, int kind, boolean count) {
    boolean fetch = kind == AccessKind.FETCH;
    SetAssociativeTlb l1 = fetch ? l1i : l1d;
    long v = l1.lookup(tag, vpn);
    if (v >= 0) {
      return v;
    }
    long large = vpn >>> 9;
    SetAssociativeTlb l1Large = fetch ? l1iLarge : l1dLarge;
    v = l1Large.lookup(tag, large);
    if (v >= 0) {
      return v;
    }
    if (count) {
      (fetch ? l1iMisses : l1dMisses).increment();
    }
    v = l2.lookup(tag, vpn);
    if (v < 0) {
      v = l2.lookup(tag, large | LARGE_KEY);
      if (v >= 0) {
        if (count) {
          l2Hits.increment();
        }
        l1Large.insert(tag, large, v);
        return v;
      }
      if (count) {
        l2Misses.increment();
      }
      return TlbEntry.MISS;
    }
    if (count) {
      l2Hits.increment();
    }
    l1.insert(tag, vpn, v);
    return v;
  }

  /** Installs a walk's entry: a 2 MiB one in the 2 MiB L1 of {@code kind}, a 4 KiB one in the L1; both in the L2. */
  public void fill(long vpn, long entry, int kind) {
    if (TlbEntry.isLarge(entry)) {
      fillLarge(vpn, entry, kind);
    } else {
      fillSmall(vpn, entry, kind);
    }
  }

  private void fillSmall(long vpn, long value, int kind) {
    l2.insert(tag, vpn, value);
    (kind == AccessKind.FETCH ? l1i : l1d).insert(tag, vpn, value);
  }

  private void fillLarge(long vpn, long value, int kind) {
    long large = vpn >>> 9;
    l2.insert(tag, large | LARGE_KEY, value);
    (kind == AccessKind.FETCH ? l1iLarge : l1dLarge).insert(tag, large, value);
  }

  @Override
  public void invalidate(long vpn) {
    invalidate(tag, vpn);
  }

  @Override
  public void invalidate(long tag, long vpn) {
    long large = vpn >>> 9;
    l1i.invalidate(tag, vpn);
    l1d.invalidate(tag, vpn);
    l1iLarge.invalidate(tag, large);
    l1dLarge.invalidate(tag, large);
    l2.invalidate(tag, vpn);
    l2.invalidate(tag, large | LARGE_KEY);
  }

  @Override
  public void switchTo(long newTag) {
    if (!tagged) {
      flush();
    }
    tag = newTag;
  }

  @Override
  public void flush(long oldTag) {
    if (!tagged) {
      flush();
      return;
    }
    l1i.flush(oldTag);
    l1d.flush(oldTag);
    l1iLarge.flush(oldTag);
    l1dLarge.flush(oldTag);
    l2.flush(oldTag);
  }

  @Override
  public boolean tagged() {
    return tagged;
  }

  @Override
  public void flush() {
    flushes.increment();
    l1i.flush();
    l1d.flush();
    l1iLarge.flush();
    l1dLarge.flush();
    l2.flush();
  }



  public SetAssociativeTlb l1d() {
    return l1d;
  }
}
