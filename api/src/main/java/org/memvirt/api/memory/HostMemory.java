package org.memvirt.api.memory;

/**
 * The host's machine memory: frames of 4 KiB, each with a 64-bit content token (0 is the
 * zero page) and an owner.
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
   * A zeroed frame owned by guest page {@code gppn} of VM {@code vm} (zeroing is counted).
   * When no frame is free the engine first reclaims, as it does for its own allocations
   * (which may call reclamation techniques, this one included); {@link #NO_FRAME} only when
   * nothing could be freed. Does not change any P2M: the caller maps it.
   */
  long allocate(int vm, long gppn);

  /** Returns a frame with one owner to the free pool. */
  void free(long hppn);

  /** The content token of a frame. */
  long content(long hppn);

  /** Stores a content token in a frame (a write to the whole page). */
  void setContent(long hppn, long token);
}
