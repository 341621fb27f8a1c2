package org.memvirt.api.reclaim;

import org.memvirt.api.Metrics;
import org.memvirt.api.memory.P2m;

/**
 * One VM's memory, as a reclamation technique or an allocation policy sees it. Each
 * technique gets views of its own: the P2M it returns accepts only changes that technique
 * may make (entries it holds or takes, owner 0 entries it gives back).
 */
public interface VmMemory {
  /** Position of the VM in the experiment. */
  int index();

  String name();

  /** Configured memory, in pages: the size of the guest physical address space. */
  long pages();

  /** Reservation: {@link #backedPages()} is never reclaimed below it. */
  long minPages();

  /** Limit: {@link #backedPages()} never exceeds it. */
  long maxPages();

  /** Proportional shares. */
  long shares();

  /**
   * Host memory charged to the VM, ESX's {@code consumed}: its private frames, plus for
   * each shared frame its own sharers' part of it (a frame with n sharers, k of them this
   * VM's pages, charges k/n), rounded to the nearest page. A shared frame is so charged once
   * in all, give or take rounding; frames a technique holds are charged to no VM.
   */
  long consumedPages();

  /**
   * Guest pages backed by a host frame, private or shared (ESX's {@code granted} less its
   * zero pages): what the VM's min and max are measured in, a shared page counting whole.
   */
  default long backedPages() {
    return consumedPages();
  }

  /** Guest pages whose P2M entry is in {@code state} (a {@link org.memvirt.api.memory.P2mEntry} state). */
  default long statePages(int state) {
    return 0;
  }

  /** The allocation the policy wants the VM to have, in pages (ESX's SZTGT). */
  long targetPages();

  /** Sets the target; clamped to [min, max]. */
  void setTargetPages(long pages);

  /** The policy's estimate of the pages the VM actively uses (ESX's {@code active}); -1 if none. */
  default long activePages() {
    return -1;
  }

  /** Records the policy's estimate of active pages. */
  default void setActivePages(long pages) {}

  P2m p2m();

  /**
   * Asks the technique holding {@code gppn} to give it back (see
   * {@link Reclaimer#release}). True when the entry is now the engine's (owner 0): already
   * so, or released. False when its holder refused.
   */
  default boolean requestRelease(long gppn, boolean keepContent) {
    return false;
  }

  /**
   * Asks the holder of shared page {@code gppn} for its frame whole, every page mapping it
   * going to {@code taker} ({@link Reclaimer#releaseShared}). True when it was handed over
   * (the frame is then freed); false when the page is not shared by another technique, a
   * fault on it is under way, or its holder refused.
   */
  default boolean requestReleaseShared(long gppn, SharedFrameTaker taker) {
    return false;
  }

  /**
   * A hypervisor-internal access to {@code gppn} (a scanner reading it): makes the page
   * accessible, asking its holder with {@link FaultCause#HYPERVISOR} if it is held, and
   * returns its host frame.
   */
  default long touch(long gppn) {
    throw new UnsupportedOperationException("this view cannot touch pages");
  }

  /**
   * This VM's section of the experiment ({@code vms[i]}): a technique's per-VM keys, named
   * after the technique (e.g. {@code balloon: false}). A key read here is known; one that no
   * technique reads is reported as unknown, as everywhere.
   */
  default org.memvirt.api.Settings settings() {
    throw new UnsupportedOperationException("this view has no settings");
  }

  /** The guest OS, for techniques that cooperate with it (the balloon driver). */
  GuestOs guest();

  /** The VM's counters. */
  Metrics metrics();
}
