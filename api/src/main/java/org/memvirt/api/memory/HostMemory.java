package org.memvirt.api.memory;

/**
 * The host's machine memory: frames of 4 KiB, each with a 64-bit content token (0 is the
 * zero page) and exactly one holder. A frame is
 *
 * <ul>
 *   <li><b>free</b>;
 *   <li><b>private</b> to one guest page (vm, gppn): the only page that may map it, and the
 *       only one that may map it writable ({@link P2mEntry#MAPPED});
 *   <li><b>shared</b> by a set of guest pages, each mapping it read-only
 *       ({@link P2mEntry#SHARED}), with a reference count equal to their number; freed when
 *       the count falls to 0;
 *   <li><b>held</b> by a technique for its own use (a shared zero page, a stable frame, a
 *       compression cache). Guest pages may map a held frame read-only too, counted as its
 *       sharers; it stays held at 0 sharers until its holder frees it.
 * </ul>
 *
 * <p>Change the frame first, then the P2M entries that map it: the engine checks each
 * entry against its frame when it is set, and the whole table at the end of a run (and
 * with {@code verify}). Frames moved between VMs, or from a holder to a VM, are zeroed
 * on the way (counted as {@code frames_zeroed}).
 */
public interface HostMemory {
  /** Returned by {@link #allocate} when no frame is free. */
  long NO_FRAME = -1;

  /** Frames of host memory. */
  long totalFrames();

  /** Frames free now. */
  long freeFrames();

  /** The current free-memory state, with hysteresis. */
  HostMemoryState state();

  /**
   * Free frames below which the host enters {@code state} going down (for HIGH: at and above
   * which it is back in HIGH). The default is ESX's thresholds
   * ({@link HostMemoryState#esxFraction}).
   */
  default long thresholdFrames(HostMemoryState state) {
    return (long) Math.ceil(state.esxFraction() * totalFrames());
  }

  /**
   * A zeroed frame private to guest page {@code gppn} of VM {@code vm} (zeroing is
   * counted). When no frame is free, or the VM is at its limit, the engine first reclaims
   * (which may call reclamation techniques, this one included); {@link #NO_FRAME} only when
   * nothing could be freed. Does not change any P2M: the caller maps it.
   */
  long allocate(int vm, long gppn);

  /**
   * A zeroed frame held by the calling technique for its own use, or {@link #NO_FRAME}.
   * Reclaims first when none is free, as {@link #allocate} does.
   */
  default long allocateHeld() {
    throw new UnsupportedOperationException("this host view cannot hold frames");
  }

  /** Returns a private frame, or a held frame with no sharers, to the free pool. */
  void free(long hppn);

  /**
   * A private frame becomes shared, with its page as the one sharer (remap that page
   * {@link P2mEntry#SHARED} next). Content is kept.
   */
  default void share(long hppn) {
    throw new UnsupportedOperationException("this host view cannot share frames");
  }

  /** One more guest page maps shared or held frame {@code hppn} (map it SHARED next). */
  default void addSharer(long hppn) {
    throw new UnsupportedOperationException("this host view cannot share frames");
  }

  /**
   * One guest page stopped mapping shared or held frame {@code hppn} (its entry was
   * changed first). Returns the sharers left; a shared frame left with none is freed.
   */
  default long dropSharer(long hppn) {
    throw new UnsupportedOperationException("this host view cannot share frames");
  }

  /**
   * The last sharer of a shared frame takes it as its own (copy-on-write without a copy):
   * the frame becomes private to (vm, gppn), which must be its one sharer.
   */
  default void makePrivate(long hppn, int vm, long gppn) {
    throw new UnsupportedOperationException("this host view cannot share frames");
  }

  /**
   * Hands a private or held frame (with no sharers) to guest page (vm, gppn) as a private
   * frame; zeroed (and counted) unless it stays within one VM.
   */
  default void give(long hppn, int vm, long gppn) {
    throw new UnsupportedOperationException("this host view cannot move frames");
  }

  /** Takes a private frame (no longer mapped) to be held by the calling technique, content kept. */
  default void take(long hppn) {
    throw new UnsupportedOperationException("this host view cannot move frames");
  }

  /** Sharers of a shared or held frame; 0 for a free or private frame. */
  default long sharers(long hppn) {
    return 0;
  }

  /** Frames held by the calling technique now. */
  default long heldFrames() {
    return 0;
  }

  /** The content token of a frame. */
  long content(long hppn);

  /** Stores a content token in a frame (a write to the whole page). */
  void setContent(long hppn, long token);
}
