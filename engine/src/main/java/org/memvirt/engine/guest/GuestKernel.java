package org.memvirt.engine.guest;

import java.util.ArrayList;
import java.util.List;
import org.memvirt.api.Counter;
import org.memvirt.api.MetricNames;
import org.memvirt.api.Metrics;
import org.memvirt.api.memory.Pages;
import org.memvirt.api.mmu.Pte;
import org.memvirt.api.reclaim.FaultCause;

/**
 * The guest OS of one VM: its processes and their demand-paging fault handler, over its
 * address spaces ({@link AddressSpaces}, the face the MMU sees) and its memory
 * ({@link GuestMemory}: frames, replacement, swap, the face a balloon driver sees).
 */
public final class GuestKernel {
  private static final int BLOCK = GuestFrames.BLOCK;

  private final int levels;
  private final GuestFrames frames;
  private final AddressSpaces spaces;
  private final GuestMemory memory;
  private final PageReplacement replacement;
  private final GuestSwapDevice swap;
  private final List<GuestProcess> processes = new ArrayList<>();
  private final Counter pageFaults;
  private final Counter swapIns;
  private GuestHardware hardware;

  /**
   * @param hugePagesBytes memory reserved at boot in 2 MiB pages, taken from the top of
   *     guest memory (as vm.nr_hugepages); processes with large pages map them, never swapped
   */
  public GuestKernel(String vmName, int vmIndex, long memoryBytes, int levels,
      PageReplacement.Policy policy, long swapBytes, long hugePagesBytes, Metrics vmMetrics) {
    this.levels = levels;
    this.frames = new GuestFrames(Math.toIntExact(Pages.count(memoryBytes)),
        (int) (hugePagesBytes >> Pages.LARGE_SHIFT));
    this.replacement = new PageReplacement(policy, frames.frames());
    this.swap = new GuestSwapDevice(Pages.count(swapBytes));
    this.spaces = new AddressSpaces(vmIndex, levels, frames);
    this.memory = new GuestMemory(vmName, vmIndex, frames, replacement, swap, spaces, processes,
        vmMetrics.counter(MetricNames.GUEST_SWAP_OUTS));
    this.pageFaults = vmMetrics.counter(MetricNames.PF_GUEST);
    this.swapIns = vmMetrics.counter(MetricNames.GUEST_SWAP_INS);
  }

  /** The guest's page tables, as the MMU reads them. */
  public AddressSpaces pageTables() {
    return spaces;
  }

  /** The guest's memory, as a balloon driver sees it. */
  public GuestMemory memory() {
    return memory;
  }

  /**
   * Swap ahead to keep {@code pages} free, as Linux's kswapd does: when an allocation leaves
   * fewer than half of them free, pages go to swap until {@code pages} are.
   */
  public void keepFree(long pages) {
    memory.keepFree(pages);
  }

  /** Connects the kernel to its machine; done once, before the first process. */
  public void attach(GuestHardware hardware) {
    this.hardware = hardware;
    spaces.attach(hardware);
    memory.attach(hardware);
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
    long[] entries = spaces.tableOf(table);
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
    spaces.dropPageTable(table);
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
    long root = memory.allocateFrame();
    spaces.makePageTable(root);
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
      long entry = spaces.readEntry(table, index);
      if (level == 2 && (entry & Pte.LARGE) != 0) {
        return;
      }
      if (level == 2 && !Pte.present(entry) && process.largePages() && frames.hugeFree() > 0) {
        mapHugePage(process, gva, table, index);
        return;
      }
      if (!Pte.present(entry)) {
        long newTable = memory.allocateFrame();
        spaces.makePageTable(newTable);
        entry = AddressSpaces.entry(newTable);
        spaces.writeEntry(table, index, entry);
      }
      table = Pte.frame(entry);
    }
    int index = Pte.index(gva, 1);
    long entry = spaces.readEntry(table, index);
    if (Pte.present(entry)) {
      return;
    }
    long frame = memory.allocateFrame();
    if ((entry & Pte.SWAPPED) != 0) {
      int slot = (int) Pte.frame(entry);
      hardware.writePhysical(frame, swap.read(slot), FaultCause.GUEST_SWAP_IN);
      swap.free(slot);
      swapIns.increment();
    } else {
      hardware.writePhysical(frame, 0, FaultCause.GUEST_OVERWRITE);
    }
    frames.assign((int) frame, process.pid(), Pages.number(gva));
    spaces.writeEntry(table, index, AddressSpaces.entry(frame));
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
    spaces.writeEntry(pd, index, AddressSpaces.entry(block) | Pte.LARGE);
  }

  /** LRU bookkeeping for an access of {@code process} to {@code gva} (a no-op otherwise). */
  public void touch(GuestProcess process, long gva) {
    if (replacement.policy() != PageReplacement.Policy.LRU) {
      return;
    }
    long leaf = spaces.leafTableOf(process, gva);
    if (leaf >= 0) {
      long entry = spaces.tableOf(leaf)[Pte.index(gva, 1)];
      if (Pte.present(entry)) {
        replacement.touch((int) Pte.frame(entry));
      }
    }
  }
}
