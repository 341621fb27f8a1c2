package org.memvirt.api.reclaim;

import org.memvirt.api.memory.HostMemoryState;

/**
 * One reclamation technique in one run. The engine calls {@link #reclaim} once host free
 * memory has reached {@link #actsFrom()}, for each VM above its target (without an
 * allocation policy: each VM, for its part of the host's shortfall), mildest state first
 * (ESX: balloon from soft, swap from hard); when no frame is free; and when a VM reaches
 * its limit. It calls
 * {@link #tick} every {@link #periodNanos()} whatever the state (a sharing scanner, a
 * balloon driver polling its target).
 *
 * <p><b>Who holds a page.</b> A page a technique takes is marked in the P2M with the
 * technique's owner id ({@link ReclaimContext#ownerId()}); from then on only that
 * technique may change its entry. A guest access to it comes back as {@link #fault}. A
 * technique that wants a page another one holds asks for it with
 * {@link VmMemory#requestRelease}, which calls the holder's {@link #release}. A technique
 * never takes a VM below its reservation ({@link VmMemory#minPages()}).
 */
public interface Reclaimer {
  /** The tightest-first state from which {@link #reclaim} is called. */
  HostMemoryState actsFrom();

  /**
   * Frees up to {@code pages} host frames backing {@code vm}. Returns how many it freed
   * now; a technique that frees on its own time (a balloon raising its target) returns 0
   * and reports the work under way as {@link #pending}.
   */
  long reclaim(VmMemory vm, long pages);

  /**
   * Frames this technique has undertaken to free from {@code vm} on its own time and is
   * still working on (a balloon inflating toward the target {@link #reclaim} set). The
   * engine counts them as progress: it turns to the techniques of a tighter state for a VM
   * only when the milder ones neither freed nor undertook anything there (ESX: in soft,
   * swap a VM whose balloon cannot act). The default, for techniques that free at once: 0.
   */
  default long pending(VmMemory vm) {
    return 0;
  }

  /**
   * {@code gppn}, whose P2M entry this technique holds ({@code entry}), was touched for
   * {@code cause}; make it accessible again (swap it in, break copy-on-write, ...). On
   * return the entry must be {@code MAPPED}, or {@code SHARED} if the cause does not write.
   * If no frame can be had for it ({@link org.memvirt.api.memory.HostMemory#allocate}
   * returned {@code NO_FRAME}), leave the entry as it is: the engine then stops the run, out
   * of memory. The default calls the older {@link #fault(VmMemory, long, long, boolean)}.
   */
  default void fault(VmMemory vm, long gppn, long entry, FaultCause cause) {
    fault(vm, gppn, entry, cause.write());
  }

  /**
   * The form of {@link #fault(VmMemory, long, long, FaultCause)} before fault causes
   * (api 0.3); implement one of the two.
   */
  default void fault(VmMemory vm, long gppn, long entry, boolean write) {
    throw new UnsupportedOperationException("a reclaimer must implement fault(vm, gppn, entry, cause)");
  }

  /**
   * Another technique wants {@code gppn}, which this one holds ({@code entry}). Give it
   * back to the engine, owner 0, and return true: {@code MAPPED} with its content when
   * {@code keepContent}, else {@code MAPPED} or {@code UNBACKED} (its content no longer
   * matters: the guest gave the page up). Or keep it and return false. The default
   * refuses.
   */
  default boolean release(VmMemory vm, long gppn, long entry, boolean keepContent) {
    return false;
  }

  /**
   * Another technique wants the shared frame behind {@code gppn} ({@code entry}, which this
   * one holds) whole, with every page that maps it, to page it out once for all of them
   * (Linux swaps a KSM page with its rmap; ESX can page out a shared page). Hand each
   * mapping to {@code taker}: set its entry to {@code SHARED} of that frame with owner 0, then
   * call {@link SharedFrameTaker#take}; forget the frame. Refuse (false, nothing changed)
   * when a mapping's VM would go below its reservation or the frame is one this technique
   * needs (a zero page it holds). The default refuses.
   */
  default boolean releaseShared(VmMemory vm, long gppn, long entry, SharedFrameTaker taker) {
    return false;
  }

  /**
   * Whether this technique knows that it holds {@code gppn} of {@code vm} as {@code entry}
   * (for the frame-table check: an entry with this technique's id that it does not know
   * of is lost). The default cannot tell and says yes.
   */
  default boolean holds(VmMemory vm, long gppn, long entry) {
    return true;
  }

  /**
   * The guest kernel worked on {@code gppn} whole, fault or not: read it for its swap device
   * ({@link FaultCause#GUEST_IO}), overwrote it from its swap device
   * ({@link FaultCause#GUEST_SWAP_IN}) or from the CPU ({@link FaultCause#GUEST_OVERWRITE}).
   * The hypervisor sees the first two at its virtual disk and the last as the write it is;
   * VSwapper's Swap Mapper is built on this. Called before the operation. The default
   * ignores it.
   */
  default void guestPageOperation(VmMemory vm, long gppn, FaultCause cause) {}

  /**
   * How low this technique alone can keep {@code vm} within a limit ({@code max}): the
   * lowest limit it can hold, and why not lower. Before a run the engine refuses a VM's
   * limit below what every configured technique can reach, naming their reasons. The
   * default: a technique that does not say it can hold a VM within a limit cannot be relied
   * on to (what it frees depends on the guest, or on the pages' content), so the VM's memory.
   */
  default LimitReach limitReach(VmMemory vm) {
    return new LimitReach(vm.pages(), "it does not say that it can hold a VM within a limit");
  }

  /**
   * Why this technique could free no frame of {@code vm} when one was needed: the VM at its
   * reservation, a full device, a balloon that frees only on its driver's time. The engine
   * gives it in the one line that ends a run out of memory. Null when it cannot tell.
   */
  default String whyNothingFreed(VmMemory vm) {
    return null;
  }

  /** How often {@link #tick} runs, in simulated nanoseconds; 0 for never. */
  default long periodNanos() {
    return 0;
  }

  /** Periodic work. */
  default void tick(long nowNanos) {}
}
