package org.memvirt.trace;

import java.io.IOException;

/**
 * What a trace holds: records by kind, the page accesses they make (an access whose bytes
 * cross a page boundary makes one per page it touches), and the distinct 4 KiB pages
 * touched, in all and by instruction fetches.
 */
public record TraceStats(long fetches, long loads, long stores, long modifies, long pageAccesses, long crossings,
    long distinctPages, long distinctCodePages) {

  public long records() {
    return fetches + loads + stores + modifies;
  }

  /** Reads {@code trace} to its end. */
  public static TraceStats of(TraceReader trace) throws IOException {
    long[] byKind = new long[4];
    long pageAccesses = 0;
    long crossings = 0;
    PageSet pages = new PageSet();
    PageSet code = new PageSet();
    TraceRecords r = new TraceRecords(4096);
    int n;
    while ((n = trace.read(r)) > 0) {
      for (int i = 0; i < n; i++) {
        byKind[r.kinds[i]]++;
        long first = r.addresses[i] >>> 12;
        long last = (r.addresses[i] + r.sizes[i] - 1) >>> 12;
        pageAccesses += last - first + 1;
        if (last != first) {
          crossings++;
        }
        for (long p = first; p <= last; p++) {
          pages.add(p);
          if (r.kinds[i] == TraceKind.FETCH) {
            code.add(p);
          }
        }
      }
    }
    return new TraceStats(byKind[0], byKind[1], byKind[2], byKind[3], pageAccesses, crossings, pages.size(),
        code.size());
  }
}
