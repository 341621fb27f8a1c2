package org.memvirt.engine.sim;

import org.memvirt.api.BadInputException;

/**
 * How much Java heap an experiment's machine needs, estimated before it is built: what the
 * frame table takes per host frame, what a VM takes per guest page (its P2M, the guest's
 * frame table, replacement lists, page tables and content tokens, measured on machines of 1 to
 * 8 GiB), the content oracle per page with {@code verify}, and the time series. A run whose
 * estimate is above the JVM's limit is refused in one line with the fix, rather than failing
 * with an OutOfMemoryError minutes in.
 */
public final class HeapEstimate {
  /** Classes, JIT and the plugins: what a small run takes. */
  static final long BASE_BYTES = 64L << 20;
  /** Per host frame: content token, holder and tag, and a free-list slot once freed (8 + 4 + 4 + 4). */
  static final long PER_FRAME = 20;
  /**
   * Per guest page, measured, the worst case: every page touched (P2M, the guest's frame
   * table and replacement links, page tables, tokens). Per-page arrays are made in 2 MiB
   * chunks as pages are touched, so a VM that touches less takes less.
   */
  static final long PER_GUEST_PAGE = 72;
  /** Per guest page with {@code verify}: the oracle's expected content. */
  static final long PER_GUEST_PAGE_VERIFIED = 80;
  /** Per sample and VM: a row of about a hundred named values. */
  static final long PER_SAMPLE_ROW = 8L << 10;

  private HeapEstimate() {}

  /** The estimate for one run of {@code e}, in bytes. */
  public static long bytes(Experiment e) {
    long frames = e.hostMemoryBytes / 4096;
    long pages = 0;
    for (Experiment.VmSpec vm : e.vms) {
      pages += vm.memoryBytes() / 4096;
    }
    long samples = e.durationNanos / e.metricsPeriodNanos + 2;
    return BASE_BYTES + PER_FRAME * frames + (PER_GUEST_PAGE + (e.verify ? PER_GUEST_PAGE_VERIFIED : 0)) * pages
        + PER_SAMPLE_ROW * samples * e.vms.size();
  }

  /**
   * Fails in one line when {@code runsAtOnce} runs of {@code e} (a sweep's threads) need more
   * heap than this JVM may take.
   */
  public static void check(Experiment e, int runsAtOnce, long maxHeapBytes) {
    long need = bytes(e) * Math.max(1, runsAtOnce);
    if (need > maxHeapBytes) {
      long gib = (need + (1L << 30) - 1) >> 30;
      throw new BadInputException(e.tree.origin() + ": needs about " + mib(need) + " of Java heap"
          + (runsAtOnce > 1 ? " (" + runsAtOnce + " runs at once)" : "") + ", more than the JVM's " + mib(maxHeapBytes)
          + "; give it more with MEMVIRT_OPTS=-Xmx" + (gib + 1) + "g" + (runsAtOnce > 1 ? " or run fewer points at once "
          + "(--threads)" : "") + ", or make the host or the VMs smaller");
    }
  }

  public static String mib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%,d MiB", bytes >> 20);
  }
}
