package org.memvirt.testkit;

import org.memvirt.api.AccessKind;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.mmu.Pte;
import org.memvirt.api.mmu.TlbEntry;
import org.memvirt.api.mmu.WalkResult;

/**
 * The reference an MMU's translation is checked against ({@link MmuContract}): a walk of
 * the guest tables and the P2M as they are now, the accessed and dirty bits hardware would
 * have set, and what the TLB may hold after the access.
 */
final class ReferenceWalk {
  private ReferenceWalk() {}

  /**
   * What is wrong with translation {@code hpa} of {@code gva} under guest root {@code root}
   * (for a write when {@code write}), the TLB {@code tlb} after it: null when nothing is.
   */
  static String wrong(FakeMachine fm, MapTlb tlb, long root, long gva, boolean write, long hpa) {
    long table = root;
    for (int level = 4; level >= 1; level--) {
      long e = fm.read(table, Pte.index(gva, level));
      if (!Pte.present(e)) {
        return hpa == WalkResult.GUEST_FAULT ? null
            : String.format("0x%x is not mapped by the guest, but translated to %d", gva, hpa);
      }
      if ((e & Pte.ACCESSED) == 0) {
        return String.format("0x%x: no accessed bit in the guest entry at level %d", gva, level);
      }
      long data;
      if (level == 2 && (e & Pte.LARGE) != 0) {
        data = Pte.frame(e) + ((gva >>> 12) & 511);
      } else if (level == 1) {
        data = Pte.frame(e);
      } else {
        table = Pte.frame(e);
        continue;
      }
      return leaf(fm, tlb, e, data, gva, write, hpa);
    }
    return null;
  }

  /** The checks at the guest entry {@code e} that maps {@code gva} to guest page {@code data}. */
  private static String leaf(FakeMachine fm, MapTlb tlb, long e, long data, long gva, boolean write, long hpa) {
    if (write && (e & Pte.DIRTY) == 0) {
      return String.format("no dirty bit after a write to 0x%x", gva);
    }
    long p2m = fm.get(data);
    if (!(write ? P2mEntry.writable(p2m) : P2mEntry.readable(p2m))) {
      return String.format("the P2M of guest page %d does not allow the %s", data, write ? "write" : "read");
    }
    long expected = (P2mEntry.value(p2m) << 12) | (gva & 4095);
    if (hpa != expected) {
      return String.format("0x%x (guest page %d) translated to 0x%x; the guest tables and the P2M give 0x%x", gva,
          data, hpa, expected);
    }
    if (!P2mEntry.large(p2m) && !P2mEntry.accessed(p2m)) {
      return String.format("no P2M accessed bit on guest page %d", data);
    }
    long cached = tlb.lookup(gva >>> 12, AccessKind.READ);
    if (cached == MapTlb.MISS) {
      return String.format("0x%x was translated but is not in the TLB", gva);
    }
    if (TlbEntry.serves(cached, true) && (e & Pte.DIRTY) == 0) {
      return String.format("a writable TLB entry for the clean guest page of 0x%x", gva);
    }
    if (TlbEntry.serves(cached, true) && !P2mEntry.writable(p2m)) {
      return String.format("a writable TLB entry for read-only frame %d", P2mEntry.value(p2m));
    }
    return null;
  }
}
