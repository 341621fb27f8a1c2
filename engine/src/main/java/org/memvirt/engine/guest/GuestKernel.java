package org.memvirt.engine.guest;

import java.util.ArrayList;
import java.util.List;
import org.memvirt.api.Counter;
import org.memvirt.api.MetricNames;
import org.memvirt.api.Metrics;
import org.memvirt.api.memory.Pages;
import org.memvirt.api.mmu.GuestPageTables;
import org.memvirt.api.mmu.Pte;
import org.memvirt.api.reclaim.FaultCause;
import org.memvirt.api.reclaim.GuestMemoryListener;
import org.memvirt.api.reclaim.GuestOs;
import org.memvirt.engine.config.ExperimentException;

/**
 * The guest OS of one VM: processes with x86-64 radix page tables stored in guest frames
 * ({@link PageTableStore}), a demand-paging fault handler, page replacement to a swap
 * device, and the hooks a balloon driver uses, over its frame allocator
 * ({@link GuestFrames}).
 * Page tables are never swapped, as in Linux.
 */
public final class GuestKernel implements GuestPageTables, GuestOs {
  private static final int BLOCK = GuestFrames.BLOCK;
  private static final long TABLE_FLAGS = Pte.PRESENT | Pte.WRITABLE | Pte.USER;
  /** Tag of page-table frames' content tokens: unique per (vm, frame), never zero. */
  private static final long TABLE_TOKEN = 0x7ab1_e000_0000_0000L;

  private final String vmName;
  private final int vmIndex;
  private final int levels;
  private final GuestFrames frames;
  private final PageTableStore tables = new PageTableStore();
  private final PageReplacement replacement;
  private final GuestSwapDevice swap;
  private final List<GuestProcess> processes = new ArrayList<>();
  private final Counter pageFaults;
  private final Counter swapOuts;
  private final Counter swapIns;
  private GuestHardware hardware;
  /** Free pages kswapd keeps (its high watermark); it wakes below half of it. 0: off. */
  private long freeTarget;

  /**
   * @param hugePagesBytes memory reserved at boot in 2 MiB pages, taken from the top of
   *     guest memory (as vm.nr_hugepages); processes with large pages map them, never swapped
   */
  public GuestKernel(String vmName, int vmIndex, long memoryBytes, int levels,
      PageReplacement.Policy policy, long swapBytes, long hugePagesBytes, Metrics vmMetrics) {
    this.vmName = vmName;
    this.vmIndex = vmIndex;
    this.levels = levels;
    this.frames = new GuestFrames(Math.toIntExact(Pages.count(memoryBytes)),
        (int) (hugePagesBytes >> Pages.LARGE_SHIFT));
    this.replacement = new PageReplacement(policy, frames.frames());
    this.swap = new GuestSwapDevice(Pages.count(swapBytes));
    this.pageFaults = vmMetrics.counter(MetricNames.PF_GUEST);
    this.swapOuts = vmMetrics.counter(MetricNames.GUEST_SWAP_OUTS);
    this.swapIns = vmMetrics.counter(MetricNames.GUEST_SWAP_INS);
  }

  /**
   * Swap ahead to keep {@code pages} free, as Linux's kswapd does: when an allocation leaves
   * fewer than half of them free, pages go to swap until {@code pages} are.
   */
  public void keepFree(long pages) {
    this.freeTarget = pages;
  }

  /** Connects the kernel to its machine; done once, before the first process. */
  public void attach(GuestHardware hardware) {
    this.hardware = hardware;
  }

  public PageReplacement.Policy replacementPolicy() {
    return replacement.policy();
  }

  /**
   * Ends a process: frees its data pages, its swap slots and its page tables, as exit_mmap
   * does. Its tables are simply dropped (nothing walks them any more).
   */
  public void exitProcess(GuestProcess process) {
    freeTree(process.rootGppn(), levels);
    processes.set(process.pid(), null);
  }

  private void freeTree(long table, int level) {
    long[] entries = tableOf(table);
    for (int i = 0; i < Pte.ENTRIES; i++) {
      long e = entries[i];
      if (level == 2 && Pte.present(e) && (e & Pte.LARGE) != 0) {
        frames.returnHugeBlock((int) Pte.frame(e));
      } else if (level > 1 && Pte.present(e)) {
        freeTree(Pte.frame(e), level - 1);
      } else if (level == 1 && Pte.present(e)) {
        replacement.remove((int) Pte.frame(e));
        frames.release((int) Pte.frame(e));
      } else if (level == 1 && (e & Pte.SWAPPED) != 0) {
        swap.free((int) Pte.frame(e));
      }
    }
    tables.free((int) frames.tag(table));
    frames.release((int) table);
  }

  /** The process with {@code pid}, or null once it exited. */
  public GuestProcess process(int pid) {
    return processes.get(pid);
  }

  /** A new process with an empty address space (one zeroed top-level table). */
  public GuestProcess createProcess() {
    return createProcess(false);
  }

  /** A new process; with {@code largePages} its data is mapped with 2 MiB pages while any are free. */
  public GuestProcess createProcess(boolean largePages) {
    long root = allocateFrame();
    makePageTable(root);
    GuestProcess p = new GuestProcess(processes.size(), root, largePages);
    processes.add(p);
    return p;
  }

  // ---- page faults -------------------------------------------------------------------

  /**
   * Handles a page fault of {@code process} at {@code gva}: builds missing tables, then
   * brings the page in, from swap or zero-filled.
   */
  public void handlePageFault(GuestProcess process, long gva) {
    pageFaults.increment();
    long table = process.rootGppn();
    for (int level = levels; level > 1; level--) {
      int index = Pte.index(gva, level);
      long entry = readEntry(table, index);
      if (level == 2 && (entry & Pte.LARGE) != 0) {
        return;
      }
      if (level == 2 && !Pte.present(entry) && process.largePages() && frames.hugeFree() > 0) {
        mapHugePage(process, gva, table, index);
        return;
      }
      if (!Pte.present(entry)) {
        long newTable = allocateFrame();
        makePageTable(newTable);
        entry = Pte.make(newTable, TABLE_FLAGS);
        writeEntry(table, index, entry);
      }
      table = Pte.frame(entry);
    }
    int index = Pte.index(gva, 1);
    long entry = readEntry(table, index);
    if (Pte.present(entry)) {
      return;
    }
    long frame = allocateFrame();
    if ((entry & Pte.SWAPPED) != 0) {
      int slot = (int) Pte.frame(entry);
      hardware.writePhysical(frame, swap.read(slot), FaultCause.GUEST_SWAP_IN);
      swap.free(slot);
      swapIns.increment();
    } else {
      hardware.writePhysical(frame, 0, FaultCause.GUEST_OVERWRITE);
    }
    frames.assign((int) frame, process.pid(), Pages.number(gva));
    writeEntry(table, index, Pte.make(frame, TABLE_FLAGS));
    replacement.add((int) frame);
  }

  /** Maps the 2 MiB page containing {@code gva} with a block from the pool, zero-filled. */
  private void mapHugePage(GuestProcess process, long gva, long pd, int index) {
    int block = frames.takeHugeBlock();
    long firstPage = Pages.number(gva) & ~(BLOCK - 1L);
    for (int i = 0; i < BLOCK; i++) {
      frames.assign(block + i, process.pid(), firstPage + i);
      hardware.writePhysical(block + i, 0, FaultCause.GUEST_OVERWRITE);
    }
    writeEntry(pd, index, Pte.make(block, TABLE_FLAGS | Pte.LARGE));
  }

  /** LRU bookkeeping for an access of {@code process} to {@code gva} (a no-op otherwise). */
  public void touch(GuestProcess process, long gva) {
    if (replacement.policy() != PageReplacement.Policy.LRU) {
      return;
    }
    long leaf = leafTable(process, gva);
    if (leaf >= 0) {
      long entry = tableOf(leaf)[Pte.index(gva, 1)];
      if (Pte.present(entry)) {
        replacement.touch((int) Pte.frame(entry));
      }
    }
  }

  // ---- frames and replacement ----------------------------------------------------------

  /** A free guest frame for the kernel's own use; the run ends when the guest has none to give. */
  private long allocateFrame() {
    long frame = tryAllocateFrame();
    if (frame >= 0) {
      return frame;
    }
    if (replacement.size() == 0) {
      throw new ExperimentException("vm " + vmName + ": guest out of memory: page tables and pinned pages fill all "
          + frames.frames() + " of its pages; give it more memory");
    }
    if (swap.capacity() == 0) {
      throw new ExperimentException("vm " + vmName + ": guest out of memory: all " + frames.frames() + " of its pages "
          + "are in use" + (frames.pinned() > 0 ? " (" + frames.pinned() + " pinned by its drivers, a balloon's among "
          + "them)" : "") + " and it has no swap device (vms[" + vmIndex + "].guest.swap: 0); give it swap or memory, "
          + "or lower the footprint");
    }
    throw new ExperimentException("vm " + vmName + ": guest swap device full (" + swap.capacity()
        + " pages); raise vms[" + vmIndex + "].guest.swap or lower the footprint");
  }

  /**
   * A free guest frame: from the free list, else by swapping a page out, else from the
   * drivers told of the guest's memory pressure (deflate-on-OOM); -1 when none of these can.
   */
  private long tryAllocateFrame() {
    if (frames.free() == 0 && !evictOne()) {
      for (int i = 0; i < frames.listeners().size() && frames.free() == 0; i++) {
        frames.listeners().get(i).onOutOfMemory(1);
      }
      if (frames.free() == 0) {
        return -1;
      }
    }
    int frame = frames.take();
    if (frames.free() < freeTarget / 2) {
      while (frames.free() < freeTarget && evictOne()) {
        // kswapd: reclaim up to the high watermark
      }
    }
    return frame;
  }

  /** Swaps one page out to free its frame; false when nothing can go (nothing evictable, swap full). */
  private boolean evictOne() {
    if (replacement.size() == 0 || swap.used() == swap.capacity()) {
      return false;
    }
    int victim = replacement.victim(this::testAndClearAccessed);
    if (victim < 0) {
      return false;
    }
    GuestProcess owner = processes.get(frames.user(victim));
    long gva = Pages.address(frames.tag(victim));
    int slot = swap.allocate();
    swap.write(slot, hardware.readPhysical(victim, FaultCause.GUEST_IO));
    swapOuts.increment();
    long leaf = leafTable(owner, gva);
    writeEntry(leaf, Pte.index(gva, 1), Pte.make(slot, Pte.SWAPPED));
    hardware.invalidatePage(owner, gva);
    frames.release(victim);
    return true;
  }

  private boolean testAndClearAccessed(int frame) {
    GuestProcess owner = processes.get(frames.user(frame));
    long gva = Pages.address(frames.tag(frame));
    long leaf = leafTable(owner, gva);
    int index = Pte.index(gva, 1);
    long entry = tableOf(leaf)[index];
    if ((entry & Pte.ACCESSED) == 0) {
      return false;
    }
    // Like Linux's ptep_clear_flush_young on x86: clear the bit and flush the TLB entry,
    // so the next access walks again and sets it.
    writeEntry(leaf, index, entry & ~Pte.ACCESSED);
    hardware.invalidatePage(owner, gva);
    return true;
  }

  // ---- page tables ------------------------------------------------------------------

  private void makePageTable(long gppn) {
    int slot = tables.create();
    frames.assign((int) gppn, GuestFrames.PAGE_TABLE, slot);
    hardware.writePhysical(gppn, TABLE_TOKEN | ((long) vmIndex << 32) | gppn, FaultCause.GUEST_OVERWRITE);
  }

  private long[] tableOf(long gppn) {
    return tables.table((int) frames.tag(gppn));
  }

  /** The guest kernel reads one of its own entries: a memory read of the table page. */
  private long readEntry(long table, int index) {
    hardware.readPhysical(table, FaultCause.VCPU_READ);
    return tableOf(table)[index];
  }

  /** The guest kernel writes an entry: a memory write to the table page. */
  private void writeEntry(long table, int index, long entry) {
    tableOf(table)[index] = entry;
    hardware.writeTableEntry(table, index);
  }

  /** The level-1 table mapping {@code gva}, or -1 if an upper level is missing. */
  public long leafTableOf(GuestProcess process, long gva) {
    return leafTable(process, gva);
  }

  private long leafTable(GuestProcess process, long gva) {
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
      return Pte.frame(pde) + (Pages.number(gva) & (BLOCK - 1));
    }
    long leaf = leafTable(process, gva);
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

  // ---- GuestOs: the balloon driver's hooks ---------------------------------------------

  @Override
  public long usedPages() {
    return frames.frames() - frames.free() - (long) frames.hugeFree() * BLOCK;
  }

  /**
   * Of the frames free in the guest (its free lists and its 2 MiB pool), how many satisfy
   * {@code test} (the host's question: which of them does it still back?); {@code inRange}
   * answers it for a range of frames at once (see {@link GuestFrames#countFree}).
   */
  public long countFree(java.util.function.LongPredicate test, java.util.function.LongBinaryOperator inRange) {
    return frames.countFree(test, inRange);
  }

  /** Free 2 MiB pages left in the pool reserved at boot. */
  public long hugePagesFree() {
    return frames.hugeFree();
  }

  @Override
  public long pinnedPages() {
    return frames.pinned();
  }

  @Override
  public long freePages() {
    return frames.free();
  }

  @Override
  public void addListener(GuestMemoryListener listener) {
    frames.addListener(listener);
  }

  @Override
  public long pinPage() {
    if (frames.free() == 0 && !evictOne()) {
      return -1;
    }
    return pinFreePage();
  }

  @Override
  public long pinFreePage() {
    if (frames.free() == 0) {
      return -1;
    }
    long frame = frames.take();
    frames.pin((int) frame);
    return frame;
  }

  @Override
  public boolean isFree(long gppn) {
    return gppn >= 0 && gppn < frames.frames() && frames.user(gppn) == GuestFrames.FREE;
  }

  @Override
  public void unpinPage(long gppn) {
    if (frames.user(gppn) != GuestFrames.PINNED) {
      throw new IllegalStateException("guest page " + gppn + " of vm " + vmName + " is not pinned");
    }
    frames.unpin((int) gppn);
  }

  /** Pages in the guest swap device now. */
  public long swappedPages() {
    return swap.used();
  }
}
