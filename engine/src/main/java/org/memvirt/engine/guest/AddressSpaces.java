package org.memvirt.engine.guest;

import org.memvirt.api.memory.Pages;
import org.memvirt.api.mmu.GuestPageTables;
import org.memvirt.api.mmu.Pte;
import org.memvirt.api.reclaim.FaultCause;

/**
 * The guest's address spaces: x86-64 radix page tables that live in guest frames
 * ({@link PageTableStore}), what the guest kernel reads and writes of them (each a memory
 * access of the table page, through its hardware), and the face the MMU sees
 * ({@link GuestPageTables}: entries read and accessed and dirty bits set as hardware does).
 */
public final class AddressSpaces implements GuestPageTables {
  private static final long TABLE_FLAGS = Pte.PRESENT | Pte.WRITABLE | Pte.USER;
  /** Tag of page-table frames' content tokens: unique per (vm, frame), never zero. */
  private static final long TABLE_TOKEN = 0x7ab1_e000_0000_0000L;

  private final int vmIndex;
  private final int levels;
  private final GuestFrames frames;
  private final PageTableStore tables = new PageTableStore();
  private GuestHardware hardware;

  AddressSpaces(int vmIndex, int levels, GuestFrames frames) {
    this.vmIndex = vmIndex;
    this.levels = levels;
    this.frames = frames;
  }

  void attach(GuestHardware hardware) {
    this.hardware = hardware;
  }

  /** An entry pointing to {@code frame} with the flags the guest kernel gives its tables and pages. */
  static long entry(long frame) {
    return Pte.make(frame, TABLE_FLAGS);
  }

  /** {@code gppn} becomes an empty page table (its content zero-filled). */
  void makePageTable(long gppn) {
    int slot = tables.create();
    frames.assign((int) gppn, GuestFrames.PAGE_TABLE, slot);
    hardware.writePhysical(gppn, TABLE_TOKEN | ((long) vmIndex << 32) | gppn, FaultCause.GUEST_OVERWRITE);
  }

  /** Table {@code gppn} is gone; its frame is the caller's to release. */
  void dropPageTable(long gppn) {
    tables.free((int) frames.tag(gppn));
  }

  /** The entries of table {@code gppn}, read with no cost (the kernel's bookkeeping, not a memory access). */
  long[] tableOf(long gppn) {
    return tables.table((int) frames.tag(gppn));
  }

  /** The guest kernel reads one of its own entries: a memory read of the table page. */
  long readEntry(long table, int index) {
    hardware.readPhysical(table, FaultCause.VCPU_READ);
    return tableOf(table)[index];
  }

  /** The guest kernel writes an entry: a memory write to the table page. */
  void writeEntry(long table, int index, long entry) {
    tableOf(table)[index] = entry;
    hardware.writeTableEntry(table, index);
  }

  /** The level-1 table mapping {@code gva}, or -1 if an upper level is missing. */
  public long leafTableOf(GuestProcess process, long gva) {
    long table = process.rootGppn();
    for (int level = levels; level > 1; level--) {
      long entry = tableOf(table)[Pte.index(gva, level)];
      if (!Pte.present(entry) || (level == 2 && (entry & Pte.LARGE) != 0)) {
        return -1;
      }
      table = Pte.frame(entry);
    }
    return table;
  }

  /**
   * The guest physical page {@code gva} maps to in {@code process}, or -1: a software walk
   * that costs nothing, for the native baseline and for tests.
   */
  public long translate(GuestProcess process, long gva) {
    long table = process.rootGppn();
    for (int level = levels; level > 2; level--) {
      long entry = tableOf(table)[Pte.index(gva, level)];
      if (!Pte.present(entry)) {
        return -1;
      }
      table = Pte.frame(entry);
    }
    long pde = tableOf(table)[Pte.index(gva, 2)];
    if (Pte.present(pde) && (pde & Pte.LARGE) != 0) {
      return Pte.frame(pde) + (Pages.number(gva) & (GuestFrames.BLOCK - 1));
    }
    long leaf = leafTableOf(process, gva);
    if (leaf < 0) {
      return -1;
    }
    long entry = tableOf(leaf)[Pte.index(gva, 1)];
    return Pte.present(entry) ? Pte.frame(entry) : -1;
  }

  // ---- GuestPageTables: what the MMU reads ---------------------------------------------

  @Override
  public int levels() {
    return levels;
  }

  @Override
  public long read(long tableGppn, int index) {
    return frames.user(tableGppn) == GuestFrames.PAGE_TABLE ? tableOf(tableGppn)[index] : 0;
  }

  @Override
  public void setBits(long tableGppn, int index, long bits) {
    if (frames.user(tableGppn) == GuestFrames.PAGE_TABLE) {
      tableOf(tableGppn)[index] |= bits;
    }
  }
}
