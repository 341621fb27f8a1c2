package org.memvirt.reclaim.balloon;

import java.util.BitSet;
import org.memvirt.api.Counter;
import org.memvirt.api.memory.HostMemory;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.VmMemory;

/**
 * Free page reporting (virtio {@code VIRTIO_BALLOON_F_REPORTING}): the guest notes the pages
 * it frees; the first page noted schedules a reporting pass a delay later
 * ({@code PAGE_REPORTING_DELAY}, 2 s, mm/page_reporting.c), which reports those still free,
 * and the host drops their frames. No balloon target is involved; the guest keeps the pages, and the host
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
  private final BitSet noted;
  private final IntStack waiting = new IntStack();
  private final Counter reported;
  /** When the scheduled pass runs, or -1 when none is. */
  private long due = -1;

  FreePageReporter(VmMemory vm, HostMemory host) {
    this.vm = vm;
    this.host = host;
    this.noted = new BitSet(Math.toIntExact(vm.pages()));
    this.reported = vm.metrics().counter(BalloonMetrics.REPORTED.name());
  }

  /** The guest freed {@code gppn}. */
  void freed(long gppn) {
    if (!noted.get((int) gppn)) {
      noted.set((int) gppn);
      waiting.push((int) gppn);
    }
  }

  /** At a tick: schedules a pass {@code delayNanos} after pages were first noted, and runs it when due. */
  void tick(long nowNanos, long delayNanos) {
    if (due < 0 && waiting.size() > 0) {
      due = nowNanos + delayNanos;
    }
    if (due >= 0 && nowNanos >= due) {
      due = -1;
      report();
    }
  }

  /** A reporting pass: the pages noted that are still free lose their frames. Returns how many. */
  long report() {
    long n = 0;
    for (int i = 0; i < waiting.size(); i++) {
      int g = waiting.get(i);
      noted.clear(g);
      if (vm.guest().isFree(g)
          && Balloon.takeBacking(vm, host, g, P2mEntry.of(P2mEntry.UNBACKED, 0, 0)) > 0) {
        n++;
      }
    }
    waiting.clear();
    reported.add(n);
    return n;
  }
}
