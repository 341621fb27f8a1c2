package org.memvirt.api.reclaim;

/**
 * The technique that takes a shared frame whole ({@link VmMemory#requestReleaseShared}): the
 * frame's holder hands it each page that maps the frame, one at a time.
 */
@FunctionalInterface
public interface SharedFrameTaker {
  /**
   * Page {@code gppn} of the VM with index {@code vm} maps shared {@code frame}, and its
   * entry is now the engine's ({@code SHARED}, owner 0). Take it: set the entry to this
   * technique's own state (through this technique's view of that VM) and drop the page's
   * share of the frame ({@link org.memvirt.api.memory.HostMemory#dropSharer}); the last
   * page's drop frees the frame.
   */
  void take(int vm, long gppn, long frame);
}
