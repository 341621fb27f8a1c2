package org.memvirt.api.reclaim;

/**
 * What a driver inside the guest (a balloon driver) may hear from the guest OS about its
 * memory. Both calls come from the guest kernel as it runs.
 */
public interface GuestMemoryListener {
  /**
   * The guest is out of memory: it found no free page and could not swap one out (its
   * swap device is full, or everything left is pinned). Return the pages given back to
   * the guest's free pool ({@link GuestOs#unpinPage}), as virtio-balloon's
   * deflate-on-OOM does; 0 if none.
   */
  default long onOutOfMemory(long pagesWanted) {
    return 0;
  }

  /**
   * The guest freed guest physical page {@code gppn} (a process exited, a page went to
   * swap): its content no longer matters (free page reporting). Called only while a
   * listener is registered.
   */
  default void onPageFreed(long gppn) {}
}
