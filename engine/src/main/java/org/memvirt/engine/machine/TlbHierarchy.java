package org.memvirt.engine.machine;

import org.memvirt.api.AccessKind;
import org.memvirt.api.Counter;
import org.memvirt.api.MetricNames;
import org.memvirt.api.Metrics;
import org.memvirt.api.mmu.Tlb;

/**
 * A vCPU's TLBs: L1 instruction and L1 data, backed by a unified L2. Default geometry
 * (experiment keys mmu.tlb.*) is a recent Intel core's: L1 dTLB 64 entries 4-way, L1 iTLB
 * 64 entries 4-way (reference notes: 64-128), L2 STLB 1536 entries 12-way.
 */
public final class TlbHierarchy implements Tlb {
  private final SetAssociativeTlb l1i;
  private final SetAssociativeTlb l1d;
  private final SetAssociativeTlb l2;
  private final Counter l1iMisses;
  private final Counter l1dMisses;
  private final Counter l2Hits;
  private final Counter l2Misses;
  private final Counter flushes;

  public TlbHierarchy(SetAssociativeTlb l1i, SetAssociativeTlb l1d, SetAssociativeTlb l2, Metrics metrics) {
    this.l1i = l1i;
    this.l1d = l1d;
    this.l2 = l2;
    this.l1iMisses = metrics.counter(MetricNames.TLB_L1I_MISSES);
    this.l1dMisses = metrics.counter(MetricNames.TLB_L1D_MISSES);
    this.l2Hits = metrics.counter(MetricNames.TLB_L2_HITS);
    this.l2Misses = metrics.counter(MetricNames.TLB_L2_MISSES);
    this.flushes = metrics.counter(MetricNames.TLB_FLUSH);
  }

  @Override
  public long lookup(long vpn, int kind) {
    SetAssociativeTlb l1 = kind == AccessKind.FETCH ? l1i : l1d;
    long v = l1.lookup(vpn);
    if (v >= 0) {
      return v;
    }
    (kind == AccessKind.FETCH ? l1iMisses : l1dMisses).increment();
    v = l2.lookup(vpn);
    if (v >= 0) {
      l2Hits.increment();
      l1.insert(vpn, v);
      return v;
    }
    l2Misses.increment();
    return MISS;
  }

  @Override
  public void fill(long vpn, long value, int kind) {
    l2.insert(vpn, value);
    (kind == AccessKind.FETCH ? l1i : l1d).insert(vpn, value);
  }

  @Override
  public void invalidate(long vpn) {
    l1i.invalidate(vpn);
    l1d.invalidate(vpn);
    l2.invalidate(vpn);
  }

  @Override
  public void flush() {
    flushes.increment();
    l1i.flush();
    l1d.flush();
    l2.flush();
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
