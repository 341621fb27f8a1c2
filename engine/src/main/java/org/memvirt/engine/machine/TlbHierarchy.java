package org.memvirt.engine.machine;

import org.memvirt.api.AccessKind;
import org.memvirt.api.Counter;
import org.memvirt.api.MetricNames;
import org.memvirt.api.Metrics;
import org.memvirt.api.mmu.Tlb;

/**
 * A vCPU's TLBs: L1 instruction and L1 data, backed by a unified L2. Default geometry
 * (experiment keys mmu.tlb.*) is a recent Intel core's: L1 dTLB 64 entries 4-way, L1 iTLB
 * 64 entries 4-way (reference notes: 64-128), L2 STLB 1536 entries 12-way. Entries carry
 * the address-space tag current when they were filled; with {@code tagged} off (no
 * PCID/VPID) switching to another tag flushes everything.
 */
public final class TlbHierarchy implements Tlb {
  private final SetAssociativeTlb l1i;
  private final SetAssociativeTlb l1d;
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
    this.l1i = l1i;
    this.l1d = l1d;
    this.l2 = l2;
    this.tagged = tagged;
    this.l1iMisses = metrics.counter(MetricNames.TLB_L1I_MISSES);
    this.l1dMisses = metrics.counter(MetricNames.TLB_L1D_MISSES);
    this.l2Hits = metrics.counter(MetricNames.TLB_L2_HITS);
    this.l2Misses = metrics.counter(MetricNames.TLB_L2_MISSES);
    this.flushes = metrics.counter(MetricNames.TLB_FLUSH);
  }

  @Override
  public long lookup(long vpn, int kind) {
    SetAssociativeTlb l1 = kind == AccessKind.FETCH ? l1i : l1d;
    long v = l1.lookup(tag, vpn);
    if (v >= 0) {
      return v;
    }
    (kind == AccessKind.FETCH ? l1iMisses : l1dMisses).increment();
    v = l2.lookup(tag, vpn);
    if (v >= 0) {
      l2Hits.increment();
      l1.insert(tag, vpn, v);
      return v;
    }
    l2Misses.increment();
    return MISS;
  }

  @Override
  public void fill(long vpn, long value, int kind) {
    l2.insert(tag, vpn, value);
    (kind == AccessKind.FETCH ? l1i : l1d).insert(tag, vpn, value);
  }

  @Override
  public void invalidate(long vpn) {
    invalidate(tag, vpn);
  }

  @Override
  public void invalidate(long tag, long vpn) {
    l1i.invalidate(tag, vpn);
    l1d.invalidate(tag, vpn);
    l2.invalidate(tag, vpn);
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
    l2.flush();
  }

  /** The current address-space tag. */
  public long tag() {
    return tag;
  }

  public SetAssociativeTlb l1i() {
    return l1i;
  }

  public SetAssociativeTlb l1d() {
    return l1d;
  }

  public SetAssociativeTlb l2() {
    return l2;
  }
}
