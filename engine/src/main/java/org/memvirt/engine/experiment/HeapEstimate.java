package org.memvirt.engine.experiment;

import java.util.Map;
import org.memvirt.api.BadInputException;
import org.memvirt.api.workload.WorkloadFactory;

/**
 * How much Java heap an experiment's machine needs, estimated before it is built: what the
 * frame table takes per host frame the guests can use (it is made in chunks as frames are
 * first used), what a VM takes per guest page its processes touch (its
 * P2M, the guest's frame table, replacement links and page tables, as its workloads'
 * footprints say) and per page they do not, the content oracle per page with
 * {@code verify}, and the time series. A run whose
 * estimate is above the JVM's limit is refused in one line with the fix, rather than failing
 * with an OutOfMemoryError minutes in.
 */
public final class HeapEstimate {
  /** Classes, JIT and the plugins: what a small run takes. */
  static final long BASE_BYTES = 64L << 20;
  /** Per host frame used: content token, holder and tag, and a free-list slot once freed (8 + 4 + 4 + 4). */
  static final long PER_FRAME = 20;
  /** Per 512 host frames, used or not: the frame table's three chunk references. */
  static final long PER_FRAME_CHUNK = 24;
  /**
   * Per guest page touched: its P2M entry, the guest's frame table and replacement links,
   * its share of the page tables (about 42 bytes measured by {@code memvirt bench}), rounded up.
   */
  static final long PER_TOUCHED_PAGE = 48;
  /**
   * Per guest page never touched, the worst case: per-page arrays are made in 2 MiB chunks
   * as pages are touched, and the policy's sampling or a balloon can make a P2M chunk of
   * pages the workloads never touch.
   */
  static final long PER_UNTOUCHED_PAGE = 8;
  /** Per guest page touched with {@code verify}: the oracle's expected content. */
  static final long PER_GUEST_PAGE_VERIFIED = 80;
  /** Per sample and VM: a row of about a hundred named values. */
  static final long PER_SAMPLE_ROW = 8L << 10;

  private HeapEstimate() {}

  /** The estimate for one run of {@code e}, in bytes; {@code workloads} say what their processes touch. */
  public static long bytes(Experiment e, Map<String, WorkloadFactory> workloads) {
    long frames = e.hostMemoryBytes / 4096;
    long guest = 0;
    long touchedInAll = 0;
    for (VmSpec vm : e.vms) {
      long pages = vm.memoryBytes() / 4096;
      long touched = touchedPages(vm, pages, workloads);
      touchedInAll += touched;
      guest += (PER_TOUCHED_PAGE + (e.verify ? PER_GUEST_PAGE_VERIFIED : 0)) * touched
          + PER_UNTOUCHED_PAGE * (pages - touched);
    }
    // A frame is used for a page a guest touched (or for a technique's copy of one): never more than either.
    long framesUsed = Math.min(frames, touchedInAll);
    long samples = e.durationNanos / e.metricsPeriodNanos + 2;
    return BASE_BYTES + PER_FRAME * framesUsed + PER_FRAME_CHUNK * ((frames + 511) / 512) + guest
        + PER_SAMPLE_ROW * samples * e.vms.size();
  }

  /**
   * The guest pages {@code vm}'s processes touch at most: their footprints (each copy), with
   * their page tables, never more than the VM's memory; all of it when a workload cannot tell.
   */
  static long touchedPages(VmSpec vm, long pages, Map<String, WorkloadFactory> workloads) {
    long touched = 0;
    for (ProcessSpec p : vm.processes()) {
      WorkloadFactory f = workloads.get(p.workloadType());
      long bytes = f == null ? -1 : f.footprintBytes(p.workload());
      if (bytes < 0) {
        return pages;
      }
      touched += ((bytes + 4095) / 4096) * Math.max(1, p.copies());
      if (touched >= pages) {
        return pages;
      }
    }
    // A page-table page per 512 pages mapped, and the upper levels.
    return Math.min(pages, touched + touched / 256 + 64);
  }

  /**
   * Fails in one line when {@code runsAtOnce} runs of {@code e} (a sweep's threads) need more
   * heap than this JVM may take.
   */
  public static void check(Experiment e, Map<String, WorkloadFactory> workloads, int runsAtOnce, long maxHeapBytes) {
    long need = bytes(e, workloads) * Math.max(1, runsAtOnce);
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
