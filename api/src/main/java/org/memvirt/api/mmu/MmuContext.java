package org.memvirt.api.mmu;

import org.memvirt.api.Metrics;
import org.memvirt.api.Settings;
import org.memvirt.api.memory.P2m;

/** What a VM's MMU may see of the machine. */
public interface MmuContext {
  /** The VM's name, for messages. */
  String vmName();

  /** The {@code mmu} section of the experiment (the MMU reads its own keys from it). */
  Settings settings();

  /** The guest's page tables, which live in guest physical memory. */
  GuestPageTables guestPageTables();

  /** The VM's P2M map (under nested paging, the nested page table). */
  P2m p2m();

  /**
   * For a technique's own software walk in an exit (shadow paging's hidden fault): a
   * hardware walk returns a {@link WalkResult#violation} instead, which the vCPU has
   * resolved. Resolves a nested fault on {@code gppn}: backs an unbacked page with a zeroed frame,
   * breaks copy-on-write on a write to a shared page, or asks the reclamation technique
   * that holds the page to give it back. Returns the host frame that now backs it.
   */
  long resolveNestedFault(long gppn, boolean write);

  /** The VM's counters. */
  Metrics metrics();
}
