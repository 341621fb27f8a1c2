package org.memvirt.mmu.shadow;

import org.memvirt.api.AccessKind;
import org.memvirt.api.Counter;
import org.memvirt.api.MetricNames;
import org.memvirt.api.memory.Pages;
import org.memvirt.api.mmu.Pte;
import org.memvirt.api.mmu.Tlb;
import org.memvirt.api.mmu.TlbEntry;
import org.memvirt.api.mmu.VcpuContext;
import org.memvirt.api.mmu.VcpuMmu;
import org.memvirt.api.mmu.WalkCache;
import org.memvirt.api.mmu.WalkResult;

/**
 * The translation hardware of one vCPU under shadow paging. A TLB miss walks the shadow
 * table, n references (fewer with the walk cache) as natively. A missing or read-only
 * shadow entry is a hidden fault: a VM exit in which the hypervisor fills the shadow from
 * the guest tables, after which the vCPU re-executes the access ({@link WalkResult#REPEAT}).
 * CR3 loads and invlpg trap.
 */
final class ShadowTranslation implements VcpuMmu {
  private static final long SMALL_IN_LARGE = 511;

  private final ShadowMmu mmu;
  private final Tlb tlb;
  private final Counter walkRefs;
  private final Counter nativeRefs;
  private final Counter saved;
  private final Counter exits;
  private final WalkCache walkCache;
  private final int levels;
  private final Counter exitsHiddenFault;
  private final Counter exitsCr3;
  private final Counter exitsInvlpg;
  long cr3;
  int rootSp = ShadowPages.NONE;

  ShadowTranslation(ShadowMmu mmu, VcpuContext vcpu) {
    this.mmu = mmu;
    this.tlb = vcpu.tlb();
    this.walkRefs = vcpu.metrics().counter(MetricNames.WALK_REFS);
    this.nativeRefs = vcpu.metrics().counter(MetricNames.NATIVE_WALK_REFS);
    this.saved = vcpu.metrics().counter(MetricNames.WALK_REFS_SAVED);
    this.exits = vcpu.metrics().counter(MetricNames.EXITS);
    this.walkCache = vcpu.walkCache();
    this.levels = mmu.levels;
    this.exitsHiddenFault = vcpu.metrics().counter(ShadowMetrics.EXITS_HIDDEN_FAULT);
    this.exitsCr3 = vcpu.metrics().counter(ShadowMetrics.EXITS_CR3);
    this.exitsInvlpg = vcpu.metrics().counter(ShadowMetrics.EXITS_INVLPG);
  }

  /** The hardware walk of the shadow table: the TLB entry, {@link WalkResult#GUEST_FAULT} or {@link WalkResult#REPEAT}. */
  @Override
  public long walk(long gva, int kind) {
    long vpn = Pages.number(gva);
    boolean write = kind == AccessKind.WRITE;
    if (rootSp == ShadowPages.NONE) {
      rootSp = mmu.rootFor(cr3); // the root was zapped: reloaded on the way back into the guest
    }
    int sp = rootSp;
    int level = levels;
    for (int cached = 2; cached <= levels; cached++) {
      long next = walkCache.lookup(cached, Pte.prefix(gva, cached));
      if (next != WalkCache.MISS) {
        sp = (int) next;
        level = cached - 1;
        break;
      }
    }
    int refs = 0;
    for (; level >= 1; level--) {
      refs++;
      long e = mmu.pages.entries[sp][Pte.index(gva, level)];
      if (!ShadowEntry.present(e)) {
        walkRefs.add(refs);
        return hiddenFault(gva, write);
      }
      if (level > 1 && !ShadowEntry.leaf(e)) {
        sp = ShadowEntry.child(e);
        walkCache.fill(level, Pte.prefix(gva, level), sp);
        continue;
      }
      if (write && !ShadowEntry.writable(e)) {
        walkRefs.add(refs);
        return hiddenFault(gva, write);
      }
      walkRefs.add(refs);
      nativeRefs.add(refs);
      saved.add(levels - (level - 1) - refs);
      long frame = ShadowEntry.hostFrame(e);
      if (level == 2) {
        // A large shadow entry: one 2 MiB TLB entry.
        return TlbEntry.large(vpn, frame + (vpn & SMALL_IN_LARGE), ShadowEntry.writable(e));
      }
      return TlbEntry.small(frame, ShadowEntry.writable(e));
    }
    throw new IllegalStateException("unreachable");
  }

  /**
   * A hidden fault: a VM exit in which the hypervisor fills the shadow from the guest
   * tables (backing guest pages as it finds them unbacked), or finds the guest does not
   * map the address and reflects the fault to it.
   */
  private long hiddenFault(long gva, boolean write) {
    exits.increment();
    exitsHiddenFault.increment();
    long r = mmu.fill(this, gva, write);
    mmu.finish();
    if (r == WalkResult.GUEST_FAULT) {
      // Natively the walk would have stopped at the same missing guest entry.
      nativeRefs.add(mmu.lastGuestLevelsRead());
      return WalkResult.GUEST_FAULT;
    }
    return WalkResult.REPEAT;
  }

  @Override
  public void loadCr3(long rootGppn) {
    exits.increment();
    exitsCr3.increment();
    mmu.switchRoot(this, rootGppn);
    mmu.finish();
    tlb.switchTo(rootGppn);
    walkCache.flush();
  }

  @Override
  public void invalidatePage(long gva) {
    exits.increment();
    exitsInvlpg.increment();
    if (rootSp != ShadowPages.NONE) {
      mmu.invlpg(rootSp, gva);
      mmu.finish();
    }
    tlb.invalidate(Pages.number(gva));
    walkCache.flush();
  }

  @Override
  public void invalidatePage(long rootGppn, long gva) {
    exits.increment();
    exitsInvlpg.increment();
    mmu.invlpgRoot(rootGppn, gva);
    mmu.finish();
    tlb.invalidate(rootGppn, Pages.number(gva));
  }

  @Override
  public void invalidateAddressSpace(long rootGppn) {
    tlb.flush(rootGppn);
  }

  @Override
  public void flushTlb() {
    exits.increment();
    exitsCr3.increment();
    mmu.syncAll();
    mmu.finish();
    flushHardware();
  }

  /** Drops one page of address space {@code tag} from the TLB (a shadow entry was zapped). */
  void invalidate(long tag, long vpn) {
    tlb.invalidate(tag, vpn);
  }

  /** Drops the TLB and the walk cache (shadow upper levels changed). */
  void flushHardware() {
    tlb.flush();
    walkCache.flush();
  }
}
