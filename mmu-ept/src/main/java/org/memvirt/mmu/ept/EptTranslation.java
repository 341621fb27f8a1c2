package org.memvirt.mmu.ept;

import org.memvirt.api.AccessKind;
import org.memvirt.api.Counter;
import org.memvirt.api.MetricNames;
import org.memvirt.api.memory.P2m;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.memory.Pages;
import org.memvirt.api.mmu.GuestPageTables;
import org.memvirt.api.mmu.MmuContext;
import org.memvirt.api.mmu.Pte;
import org.memvirt.api.mmu.Tlb;
import org.memvirt.api.mmu.VcpuContext;
import org.memvirt.api.mmu.VcpuMmu;

/**
 * The translation hardware of one vCPU under nested paging.
 *
 * <p>A TLB hit costs nothing more. On a miss the walk reads, for each of the n guest levels,
 * the nested table m times to find the guest table's host frame and then the guest entry
 * once; then m more to translate the final guest physical page: (n+1)(m+1)-1 references,
 * 24 for 4/4 (Bhargava et al., ASPLOS 2008). A nested entry with no usable frame is an EPT
 * violation: the walk stops, the hypervisor resolves it (a VM exit) and the access is
 * re-executed from the TLB lookup.
 *
 * <p>TLB values are the host frame shifted left by one, with bit 0 set when a write may use
 * the entry without a walk: the guest entry is writable and dirty and the nested entry is
 * writable. A write through an entry without it walks again (to set the dirty bit, or to
 * take the violation that breaks copy-on-write).
 */
final class EptTranslation implements VcpuMmu {
  private static final long WRITE_OK = 1;
  /** A walk result: the access must be re-executed after a resolved EPT violation. */
  private static final long RETRY = -2;

  private final MmuContext context;
  private final GuestPageTables guestTables;
  private final P2m p2m;
  private final Tlb tlb;
  private final int guestLevels;
  private final int nestedLevels;
  private final Counter walks;
  private final Counter walkRefs;
  private final Counter guestRefs;
  private final Counter nestedRefs;
  private final Counter nativeRefs;
  private final Counter violations;
  private final Counter exits;
  private long cr3;

  EptTranslation(MmuContext context, VcpuContext vcpu, int nestedLevels) {
    this.context = context;
    this.guestTables = context.guestPageTables();
    this.p2m = context.p2m();
    this.tlb = vcpu.tlb();
    this.guestLevels = guestTables.levels();
    this.nestedLevels = nestedLevels;
    this.walks = vcpu.metrics().counter(MetricNames.WALKS);
    this.walkRefs = vcpu.metrics().counter(MetricNames.WALK_REFS);
    this.guestRefs = vcpu.metrics().counter(MetricNames.WALK_REFS_GUEST);
    this.nestedRefs = vcpu.metrics().counter(MetricNames.WALK_REFS_NESTED);
    this.nativeRefs = vcpu.metrics().counter(MetricNames.NATIVE_WALK_REFS);
    this.violations = vcpu.metrics().counter(MetricNames.EPT_VIOLATIONS);
    this.exits = vcpu.metrics().counter(MetricNames.EXITS);
  }

  @Override
  public long translate(long gva, int kind) {
    boolean write = kind == AccessKind.WRITE;
    long vpn = Pages.number(gva);
    while (true) {
      long entry = tlb.lookup(vpn, kind);
      if (entry != Tlb.MISS && (!write || (entry & WRITE_OK) != 0)) {
        return ((entry >>> 1) << Pages.SHIFT) | (gva & Pages.OFFSET_MASK);
      }
      long hppn = walk(gva, vpn, kind, write);
      if (hppn == GUEST_FAULT) {
        return GUEST_FAULT;
      }
      if (hppn != RETRY) {
        return (hppn << Pages.SHIFT) | (gva & Pages.OFFSET_MASK);
      }
    }
  }

  /** The 2D walk; the host frame, {@link #GUEST_FAULT} or {@link #RETRY}. */
  private long walk(long gva, long vpn, int kind, boolean write) {
    walks.increment();
    long table = cr3;
    int guest = 0;
    int nested = 0;
    long leaf = 0;
    for (int level = guestLevels; level >= 1; level--) {
      nested += nestedLevels;
      if (!P2mEntry.readable(p2m.get(table))) {
        count(guest, nested, false);
        violation(table, false);
        return RETRY;
      }
      p2m.markAccessed(table);
      int index = Pte.index(gva, level);
      long pte = guestTables.read(table, index);
      guest++;
      if (!Pte.present(pte)) {
        count(guest, nested, true);
        return GUEST_FAULT;
      }
      guestTables.setBits(table, index, level == 1 && write ? Pte.ACCESSED | Pte.DIRTY : Pte.ACCESSED);
      leaf = level == 1 && write ? pte | Pte.DIRTY : pte;
      table = Pte.frame(pte);
    }
    nested += nestedLevels;
    long e = p2m.get(table);
    if (!(write ? P2mEntry.writable(e) : P2mEntry.readable(e))) {
      count(guest, nested, false);
      violation(table, write);
      return RETRY;
    }
    p2m.markAccessed(table);
    count(guest, nested, true);
    long hppn = P2mEntry.value(e);
    boolean writeOk = (leaf & (Pte.WRITABLE | Pte.DIRTY)) == (Pte.WRITABLE | Pte.DIRTY) && P2mEntry.writable(e);
    tlb.fill(vpn, (hppn << 1) | (writeOk ? WRITE_OK : 0), kind);
    return hppn;
  }

  private void count(int guest, int nested, boolean nativeToo) {
    guestRefs.add(guest);
    nestedRefs.add(nested);
    walkRefs.add(guest + nested);
    if (nativeToo) {
      nativeRefs.add(guest);
    }
  }

  private void violation(long gppn, boolean write) {
    violations.increment();
    exits.increment();
    context.resolveNestedFault(gppn, write);
  }

  @Override
  public void loadCr3(long rootGppn) {
    cr3 = rootGppn;
    tlb.flush();
  }

  @Override
  public void invalidatePage(long gva) {
    tlb.invalidate(Pages.number(gva));
  }

  @Override
  public void flushTlb() {
    tlb.flush();
  }
}
