package org.memvirt.reclaim.balloon;

import java.util.Arrays;
import org.memvirt.api.Counter;
import org.memvirt.api.memory.HostMemory;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.VmMemory;

/**
 * Free page reporting (virtio {@code VIRTIO_BALLOON_F_REPORTING}): the guest notes the pages
 * it frees; a reporting pass, a delay later, reports those still free, and the host drops
 * their frames. No balloon target is involved; the guest keeps the pages, and the host
 * backs one again, zeroed, when the guest next uses it.
 *
 * <p>Linux reports only free blocks of {@code page_reporting_order} (2 MiB on x86), which
 * a fragmented guest may not have; this reports single pages, so it returns what the
 * kernel would at best. Per VM it costs one bit per guest page and four bytes per page
 * waiting for a pass.
 */
final class FreePageReporter {
  private final VmMemory vm;
  private final HostMemory host;
  private final long[] noted;
  private int[] waiting = new int[64];
  private int count;
  private final Counter reported;

  FreePageReporter(VmMemory vm, HostMemory host) {
    this.vm = vm;
    this.host = host;
    this.noted = new long[(int) ((vm.pages() + 63) >>> 6)];
    this.reported = vm.metrics().counter(BalloonMetrics.REPORTED);
  }

  /** The guest freed {@code gppn}. */
  void freed(long gppn) {
    int word = (int) (gppn >>> 6);
    long bit = 1L << gppn;
    if ((noted[word] & bit) != 0) {
      return;
    }
    noted[word] |= bit;
    if (count == waiting.length) {
      waiting = Arrays.copyOf(waiting, count * 2);
    }
    waiting[count++] = (int) gppn;
  }

  /** A reporting pass: the pages noted that are still free lose their frames. Returns how many. */
  long report() {
    long n = 0;
    for (int i = 0; i < count; i++) {
      int g = waiting[i];
      noted[g >>> 6] &= ~(1L << g);
      if (vm.guest().isFree(g) && drop(g)) {
        n++;
      }
    }
    count = 0;
    reported.add(n);
    return n;
  }

  /** Drops the frame behind free page {@code g}, asking its holder first; false if it had none or keeps it. */
  private boolean drop(long g) {
    long e = vm.p2m().get(g);
    if (P2mEntry.owner(e) != 0 && !vm.requestRelease(g, false)) {
      return false;
    }
    e = vm.p2m().get(g);
    if (!P2mEntry.readable(e) || vm.backedPages() <= vm.minPages()) {
      return false;
    }
    vm.p2m().set(g, P2mEntry.of(P2mEntry.UNBACKED, 0, 0));
    Balloon.dropFrame(host, e);
    return true;
  }

  long heapBytes() {
    return 8L * noted.length + 4L * waiting.length;
  }
}
