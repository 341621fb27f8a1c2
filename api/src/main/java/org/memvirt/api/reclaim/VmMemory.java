package org.memvirt.api.reclaim;

import org.memvirt.api.Metrics;
import org.memvirt.api.memory.P2m;

/** One VM's memory, as reclamation techniques and allocation policies see it. */
public interface VmMemory {
  /** Position of the VM in the experiment. */
  int index();

  String name();

  /** Configured memory, in pages: the size of the guest physical address space. */
  long pages();

  /** Reservation: pages never reclaimed below. */
  long minPages();

  /** Limit: pages never exceeded. */
  long maxPages();

  /** Proportional shares. */
  long shares();

  /** Host frames backing the VM now (ESX's consumed). */
  long consumedPages();

  /** The allocation the policy wants the VM to have, in pages (ESX's SZTGT). */
  long targetPages();

  /** Sets the target; clamped to [min, max]. */
  void setTargetPages(long pages);

  P2m p2m();

  /** The guest OS, for techniques that cooperate with it (the balloon driver). */
  GuestOs guest();

  /** The VM's counters. */
  Metrics metrics();
}
