package org.memvirt.mmu.shadow;

import static org.memvirt.mmu.shadow.ShadowEntry.child;
import static org.memvirt.mmu.shadow.ShadowEntry.guestFrame;
import static org.memvirt.mmu.shadow.ShadowEntry.leaf;
import static org.memvirt.mmu.shadow.ShadowEntry.present;

import org.memvirt.api.memory.P2m;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.memory.Pages;
import org.memvirt.api.mmu.GuestPageTables;
import org.memvirt.api.mmu.MmuContext;
import org.memvirt.api.mmu.Pte;
import org.memvirt.api.mmu.WalkResult;

/**
 * The hypervisor's half of a hidden fault: walks the guest tables in software from the
 * vCPU's root, translating through the P2M (backing what is not backed, as KVM's shadow
 * fault handler faults the page in), builds what is missing of the shadow, sets the guest's
 * accessed and dirty bits as hardware would, and fills the leaf.
 *
 * <p>Large pages follow KVM's rule: a guest 2 MiB page gets one large shadow entry only
 * where the host maps the same 2 MiB large too and no shadowed (write-protected) guest
 * table lies inside it; otherwise a direct shadow page (one that shadows no guest table)
 * maps it with 512 small entries.
 */
final class HiddenFault {
  private static final int BLOCK = 512;

  private final ShadowMmu mmu;
  private final ShadowPages pages;
  private final ReverseMap rmap;
  private final MmuContext context;
  private final GuestPageTables guest;
  private final P2m p2m;
  private final int levels;
  /** Guest levels the last fill read before it found a missing entry. */
  int lastGuestLevelsRead;

  HiddenFault(ShadowMmu mmu, ShadowPages pages, ReverseMap rmap, MmuContext context) {
    this.mmu = mmu;
    this.pages = pages;
    this.rmap = rmap;
    this.context = context;
    this.guest = context.guestPageTables();
    this.p2m = context.p2m();
    this.levels = guest.levels();
  }

  /**
   * Fills the shadow for {@code gva} from root {@code sp} of guest root {@code cr3}.
   * Returns {@link WalkResult#GUEST_FAULT} when the guest does not map {@code gva} (the
   * fault is reflected to the guest), else 0.
   */
  long fill(int sp, long cr3, long gva, boolean write) {
    long table = cr3;
    for (int lvl = levels; lvl >= 1; lvl--) {
      pages.writes[sp] = 0;
      if (!P2mEntry.readable(p2m.get(table))) {
        context.resolveNestedFault(table, false);
      }
      int index = Pte.index(gva, lvl);
      long ge = guest.read(table, index);
      if (!Pte.present(ge)) {
        lastGuestLevelsRead = levels - lvl + 1;
        return WalkResult.GUEST_FAULT;
      }
      if (lvl == 2 && (ge & Pte.LARGE) != 0) {
        fillLarge(sp, index, ge, table, gva, write);
        return 0;
      }
      if (lvl > 1) {
        guest.setBits(table, index, Pte.ACCESSED);
        long next = Pte.frame(ge);
        long se = pages.entries[sp][index];
        int csp = pages.ofTable(next);
        // A shadow page of that table for another level or another root's tree is stale (a
        // root's level is the top one, so roots are caught here too).
        if (csp != ShadowPages.NONE && (pages.level[csp] != lvl - 1 || pages.rootOf[csp] != pages.rootOf[sp])) {
          mmu.zapPage(csp);
          csp = ShadowPages.NONE;
        }
        if (csp == ShadowPages.NONE) {
          csp = pages.create(next, lvl - 1, pages.vaBase[sp] | ((long) index << (Pages.SHIFT + 9 * (lvl - 1))),
              pages.rootOf[sp], sp, index);
        } else if (!(present(se) && child(se) == csp)) {
          mmu.unlinkFromParent(csp);
          pages.parent[csp] = sp;
          pages.parentIndex[csp] = index;
        }
        if (present(se) && child(se) != csp) {
          mmu.zapEntry(sp, index);
        }
        pages.entries[sp][index] = ShadowEntry.toChild(csp);
        sp = csp;
        table = next;
      } else {
        boolean dirty = write || (ge & Pte.DIRTY) != 0;
        guest.setBits(table, index, write ? Pte.ACCESSED | Pte.DIRTY : Pte.ACCESSED);
        long data = Pte.frame(ge);
        int stale = pages.ofTable(data);
        if (stale != ShadowPages.NONE) {
          // The guest now uses a former page table as data: stop write-protecting it.
          mmu.zapPage(stale);
        }
        long e = p2m.get(data);
        long hppn = (write ? P2mEntry.writable(e) : P2mEntry.readable(e)) ? P2mEntry.value(e)
            : context.resolveNestedFault(data, write);
        p2m.markAccessed(data);
        boolean w = (ge & Pte.WRITABLE) != 0 && dirty && P2mEntry.writable(p2m.get(data));
        long old = pages.entries[sp][index];
        if (present(old) && guestFrame(old) != data) {
          mmu.zapEntry(sp, index);
        }
        pages.entries[sp][index] = ShadowEntry.mapping(hppn, data, w);
        rmap.add(data, sp, index);
      }
    }
    return 0;
  }

  /** The guest maps {@code gva} with the 2 MiB page of PDE {@code ge}, entry {@code index} of shadow page {@code sp}. */
  private void fillLarge(int sp, int index, long ge, long pd, long gva, boolean write) {
    boolean dirty = write || (ge & Pte.DIRTY) != 0;
    guest.setBits(pd, index, write ? Pte.ACCESSED | Pte.DIRTY : Pte.ACCESSED);
    long base = Pte.frame(ge);
    long data = base + (Pages.number(gva) & (BLOCK - 1));
    long e = p2m.get(data);
    if (!(write ? P2mEntry.writable(e) : P2mEntry.readable(e))) {
      context.resolveNestedFault(data, write);
    }
    p2m.markAccessed(data);
    long se = pages.entries[sp][index];
    if (P2mEntry.large(p2m.get(base)) && !protectsAnyOf(base)) {
      if (present(se) && !leaf(se)) {
        mmu.zapEntry(sp, index);
      }
      boolean w = (ge & Pte.WRITABLE) != 0 && dirty;
      pages.entries[sp][index] = ShadowEntry.mapping(P2mEntry.value(p2m.get(base)), base, w);
      rmap.add(base, sp, index);
      return;
    }
    if (present(se) && leaf(se)) {
      mmu.zapEntry(sp, index);
      se = 0;
    }
    int direct = present(se) ? child(se) : pages.create(ShadowPages.DIRECT, 1,
        pages.vaBase[sp] | ((long) index << (Pages.SHIFT + 9)), pages.rootOf[sp], sp, index);
    pages.entries[sp][index] = ShadowEntry.toChild(direct);
    int small = Pte.index(gva, 1);
    int stale = pages.ofTable(data);
    if (stale != ShadowPages.NONE) {
      mmu.zapPage(stale);
    }
    long hppn = P2mEntry.value(p2m.get(data));
    boolean w = (ge & Pte.WRITABLE) != 0 && dirty && P2mEntry.writable(p2m.get(data));
    pages.entries[direct][small] = ShadowEntry.mapping(hppn, data, w);
    rmap.add(data, direct, small);
  }

  /** Whether any guest page of the 2 MiB block at {@code base} is a shadowed (write-protected) table. */
  private boolean protectsAnyOf(long base) {
    for (int i = 0; i < BLOCK; i++) {
      if (pages.ofTable(base + i) != ShadowPages.NONE) {
        return true;
      }
    }
    return false;
  }
}
