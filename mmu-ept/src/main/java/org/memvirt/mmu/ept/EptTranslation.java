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
import org.memvirt.api.mmu.TlbEntry;
import org.memvirt.api.mmu.VcpuContext;
import org.memvirt.api.mmu.VcpuMmu;
import org.memvirt.api.mmu.WalkCache;
import org.memvirt.api.mmu.WalkResult;

/**
 * The translation hardware of one vCPU under nested paging.
 *
 * <p>A TLB hit costs nothing more. On a miss the walk reads, for each of the n guest levels,
 * the nested table m times to find the guest table's host frame and then the guest entry
 * once; then m more to translate the final guest physical page: (n+1)(m+1)-1 references,
 * 24 for 4/4 (Bhargava et al., ASPLOS 2008). A nested entry with no usable frame is an EPT
 * violation: the walk stops and returns it; the vCPU has the hypervisor resolve it (a VM
 * exit) and re-executes the access from the TLB lookup.
 *
 * <p>Three caches shorten walks (Bhargava et al.): the guest walk cache holds upper-level
 * guest entries, so a walk starts below the deepest level cached; the nested walk cache
 * holds upper-level nested entries, so a nested translation reads only the levels below;
 * the nested TLB holds whole GPA-to-HPA translations, so it reads none. A CR3 load or an
 * {@code invlpg} flushes the guest walk cache; INVEPT flushes all three.
 *
 * <p>Large pages: a guest 2 MiB page (a PS entry at level 2) ends the guest walk a level
 * early; a guest physical page inside a 2 MiB host mapping ends its nested walk a level
 * early: 19 references for 4 guest / 3 nested levels, 15 for 3/3. Only where both map
 * 2 MiB is the translation cached as one 2 MiB TLB entry.
 *
 * <p>A walk returns a {@link TlbEntry}, which the vCPU fills. A write through an entry not
 * marked writable walks again (to set the dirty bit, or to take the violation that breaks
 * copy-on-write).
 */
final class EptTranslation implements VcpuMmu {
  private static final long SMALL_IN_LARGE = 511;
  /** Nested TLB values: the host frame shifted left by one, bit 0 set when the page is writable. */
  private static final long NTLB_WRITABLE = 1;
  /** A nested translation result: no usable frame. */
  private static final long VIOLATION = -3;

  private final Tlb tlb;
  private final GuestPageTables guestTables;
  private final P2m p2m;
  private final WalkCache guestCache;
  private final WalkCache nestedCache;
  private final WalkCache nestedTlb;
  private final int guestLevels;
  private final int nestedLevels;
  private final Counter guestRefs;
  private final Counter nestedRefs;
  private final Counter violations;
  private final Counter walkRefs;
  private final Counter nativeRefs;
  private final Counter saved;
  private final Counter exits;
  private long cr3;
  /** Nested references of the nested translations of the walk under way. */
  private int nested;
  /** What those nested translations would have cost with every cache cold. */
  private int coldNested;

  EptTranslation(MmuContext context, VcpuContext vcpu, int nestedLevels) {
    this.tlb = vcpu.tlb();
    this.guestTables = context.guestPageTables();
    this.p2m = context.p2m();
    this.guestCache = vcpu.walkCache();
    this.nestedCache = vcpu.nestedWalkCache();
    this.nestedTlb = vcpu.nestedTlb();
    this.guestLevels = guestTables.levels();
    this.nestedLevels = nestedLevels;
    this.walkRefs = vcpu.metrics().counter(MetricNames.WALK_REFS);
    this.nativeRefs = vcpu.metrics().counter(MetricNames.NATIVE_WALK_REFS);
    this.saved = vcpu.metrics().counter(MetricNames.WALK_REFS_SAVED);
    this.exits = vcpu.metrics().counter(MetricNames.EXITS);
    this.guestRefs = vcpu.metrics().counter(MetricNames.WALK_REFS_GUEST);
    this.nestedRefs = vcpu.metrics().counter(MetricNames.WALK_REFS_NESTED);
    this.violations = vcpu.metrics().counter(MetricNames.EPT_VIOLATIONS);
  }

  /** The 2D walk: the TLB entry, {@link WalkResult#GUEST_FAULT} or a {@link WalkResult#violation}. */
  @Override
  public long walk(long gva, int kind) {
    long vpn = Pages.number(gva);
    boolean write = kind == AccessKind.WRITE;
    nested = 0;
    coldNested = 0;
    long table = cr3;
    int level = guestLevels;
    for (int cached = 2; cached <= guestLevels; cached++) {
      long next = guestCache.lookup(cached, Pte.prefix(gva, cached));
      if (next != WalkCache.MISS) {
        table = next;
        level = cached - 1;
        coldNested += (guestLevels - level) * nestedLevels;
        break;
      }
    }
    int guest = 0;
    int skipped = guestLevels - level;
    long leaf = 0;
    boolean guestLarge = false;
    for (; level >= 1; level--) {
      if (nestedTranslate(table, false) == VIOLATION) {
        count(guest);
        return violation(table, false);
      }
      int index = Pte.index(gva, level);
      long pte = guestTables.read(table, index);
      guest++;
      if (!Pte.present(pte)) {
        count(guest);
        nativeRefs.add(guest);
        return WalkResult.GUEST_FAULT;
      }
      boolean isLeaf = level == 1 || (level == 2 && (pte & Pte.LARGE) != 0);
      guestTables.setBits(table, index, isLeaf && write ? Pte.ACCESSED | Pte.DIRTY : Pte.ACCESSED);
      if (isLeaf) {
        leaf = write ? pte | Pte.DIRTY : pte;
        guestLarge = level == 2;
        table = Pte.frame(pte) + (guestLarge ? vpn & SMALL_IN_LARGE : 0);
        break;
      }
      guestCache.fill(level, Pte.prefix(gva, level), Pte.frame(pte));
      table = Pte.frame(pte);
    }
    long hppn = nestedTranslate(table, write);
    if (hppn == VIOLATION) {
      count(guest);
      return violation(table, write);
    }
    // Cold, the walk would have read every guest level from the top and every nested level.
    saved.add(skipped + coldNested - nested);
    count(guest);
    // A native walk reads the same guest entries, with the same walk cache.
    nativeRefs.add(guest);
    long e = p2m.get(table);
    boolean writeOk = (leaf & (Pte.WRITABLE | Pte.DIRTY)) == (Pte.WRITABLE | Pte.DIRTY) && P2mEntry.writable(e);
    // Only where both the guest and the host map 2 MiB is it one 2 MiB TLB entry.
    return guestLarge && P2mEntry.large(e) ? TlbEntry.large(vpn, hppn, writeOk) : TlbEntry.small(hppn, writeOk);
  }

  /**
   * Translates guest physical page {@code gppn} through the nested TLB, the nested walk
   * cache and the nested table, adding the references made to {@link #nested}. The host
   * frame, or {@link #VIOLATION}.
   */
  private long nestedTranslate(long gppn, boolean write) {
    long e = p2m.get(gppn);
    // A 2 MiB host mapping ends the nested walk at level 2.
    int leafLevel = P2mEntry.large(e) ? 2 : 1;
    coldNested += nestedLevels - leafLevel + 1;
    long cached = nestedTlb.lookup(0, gppn);
    if (cached != WalkCache.MISS && (!write || (cached & NTLB_WRITABLE) != 0)) {
      return cached >>> 1;
    }
    int top = nestedLevels;
    for (int level = leafLevel + 1; level <= nestedLevels; level++) {
      if (nestedCache.lookup(level, gppn >>> (9 * (level - 1))) != WalkCache.MISS) {
        top = level - 1;
        break;
      }
    }
    nested += top - leafLevel + 1;
    if (!(write ? P2mEntry.writable(e) : P2mEntry.readable(e))) {
      return VIOLATION;
    }
    // The walk read the levels below the one the cache held: the upper ones among them are cached.
    for (int level = leafLevel + 1; level <= top; level++) {
      nestedCache.fill(level, gppn >>> (9 * (level - 1)), 1);
    }
    p2m.markAccessed(gppn);
    long hppn = P2mEntry.value(e);
    nestedTlb.fill(0, gppn, (hppn << 1) | (P2mEntry.writable(e) ? NTLB_WRITABLE : 0));
    return hppn;
  }

  private void count(int guest) {
    guestRefs.add(guest);
    nestedRefs.add(nested);
    walkRefs.add(guest + nested);
  }

  /** An EPT violation: a VM exit, in which the vCPU has the hypervisor resolve it before re-executing the access. */
  private long violation(long gppn, boolean write) {
    violations.increment();
    exits.increment();
    return WalkResult.violation(gppn, write);
  }

  @Override
  public void loadCr3(long rootGppn) {
    cr3 = rootGppn;
    tlb.switchTo(rootGppn);
    guestCache.flush();
  }

  @Override
  public void invalidatePage(long gva) {
    tlb.invalidate(Pages.number(gva));
    guestCache.flush();
  }

  @Override
  public void invalidatePage(long rootGppn, long gva) {
    tlb.invalidate(rootGppn, Pages.number(gva));
  }

  @Override
  public void invalidateAddressSpace(long rootGppn) {
    tlb.flush(rootGppn);
  }

  @Override
  public void flushTlb() {
    tlb.flush();
    guestCache.flush();
  }

  /** INVEPT: every combined and nested translation of this VM goes. */
  void invept() {
    tlb.flush();
    guestCache.flush();
    nestedCache.flush();
    nestedTlb.flush();
  }
}
