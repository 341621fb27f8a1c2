package org.memvirt.api.mmu;

import org.memvirt.api.AccessKind;
import org.memvirt.api.Counter;
import org.memvirt.api.MetricNames;
import org.memvirt.api.memory.Pages;

/**
 * The part of a vCPU's translation that every paging technique shares: look the page up in
 * the TLB ({@link TlbEntry} values), walk on a miss, and re-execute the access after the
 * walk had a fault resolved (an EPT violation, a hidden fault). A technique implements
 * {@link #walk}. An access still faulting after {@value #MAX_ATTEMPTS} re-executions is a
 * bug in the technique, reported as such rather than looping. Each walk is counted
 * ({@code walks}); a technique counts its references in the counters given here. A
 * re-execution is counted as {@code retries}, and its TLB lookup does not count misses
 * again ({@link Tlb#relookup}).
 */
public abstract class WalkingVcpuMmu implements VcpuMmu {
  /** What {@link #walk} returns when the access must be re-executed. */
  protected static final long RETRY = -2;
  /** Re-executions of one access before it is called a bug. */
  public static final int MAX_ATTEMPTS = 8;

  /** The vCPU's TLB. */
  protected final Tlb tlb;
  /** Memory references made by walks ({@code walk_refs}). */
  protected final Counter walkRefs;
  /** References the same walks make natively ({@code native_walk_refs}). */
  protected final Counter nativeRefs;
  /** References the walk caches saved against cold walks ({@code walk_refs_saved}). */
  protected final Counter saved;
  /** VM exits ({@code exits}). */
  protected final Counter exits;
  private final Counter walks;
  private final Counter retries;
  private final String technique;

  /**
   * @param vcpu the vCPU whose TLB and counters these are
   * @param technique the technique's name, for messages
   */
  protected WalkingVcpuMmu(VcpuContext vcpu, String technique) {
    this.tlb = vcpu.tlb();
    this.walks = vcpu.metrics().counter(MetricNames.WALKS);
    this.retries = vcpu.metrics().counter(MetricNames.RETRIES);
    this.walkRefs = vcpu.metrics().counter(MetricNames.WALK_REFS);
    this.nativeRefs = vcpu.metrics().counter(MetricNames.NATIVE_WALK_REFS);
    this.saved = vcpu.metrics().counter(MetricNames.WALK_REFS_SAVED);
    this.exits = vcpu.metrics().counter(MetricNames.EXITS);
    this.technique = technique;
  }

  @Override
  public final long translate(long gva, int kind) {
    // The TLB hit, alone and first: most accesses end here.
    long vpn = Pages.number(gva);
    long entry = tlb.lookup(vpn, kind);
    if (TlbEntry.serves(entry, kind == AccessKind.WRITE)) {
      return address(TlbEntry.hostFrame(entry, vpn), gva);
    }
    long hpa = walkOnce(gva, vpn, kind);
    return hpa == RETRY ? reexecute(gva, kind, 1) : hpa;
  }

  @Override
  public final long retranslate(long gva, int kind) {
    return reexecute(gva, kind, 0);
  }

  /** Re-executions of an access from attempt {@code first} on: each looks the TLB up again without counting a miss. */
  private long reexecute(long gva, int kind, int first) {
    long vpn = Pages.number(gva);
    for (int attempt = first; attempt < MAX_ATTEMPTS; attempt++) {
      retries.increment();
      long entry = tlb.relookup(vpn, kind);
      if (TlbEntry.serves(entry, kind == AccessKind.WRITE)) {
        return address(TlbEntry.hostFrame(entry, vpn), gva);
      }
      long hpa = walkOnce(gva, vpn, kind);
      if (hpa != RETRY) {
        return hpa;
      }
    }
    throw new IllegalStateException(String.format("%s: access to 0x%x still faults after %d re-executions",
        technique, gva, MAX_ATTEMPTS));
  }

  /** One walk, counted: the host address, {@link #GUEST_FAULT}, or {@link #RETRY}. */
  private long walkOnce(long gva, long vpn, int kind) {
    walks.increment();
    long hppn = walk(gva, vpn, kind, kind == AccessKind.WRITE);
    return hppn == GUEST_FAULT || hppn == RETRY ? hppn : address(hppn, gva);
  }

  private static long address(long hppn, long gva) {
    return (hppn << Pages.SHIFT) | (gva & Pages.OFFSET_MASK);
  }

  /** A process exited: its address space's TLB entries go (by tag; everything when untagged). */
  @Override
  public void invalidateAddressSpace(long rootGppn) {
    tlb.flush(rootGppn);
  }

  /**
   * Walks for a TLB miss on page {@code vpn}: fills the TLB and returns the host frame, or
   * returns {@link #GUEST_FAULT}, or {@link #RETRY} after having a fault resolved.
   */
  protected abstract long walk(long gva, long vpn, int kind, boolean write);
}
