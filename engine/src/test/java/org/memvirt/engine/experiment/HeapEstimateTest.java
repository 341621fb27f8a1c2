package org.memvirt.engine.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.memvirt.engine.run.Machines;

/** The heap estimate counts what the processes touch at the touched-page cost and the rest at the untouched one. */
class HeapEstimateTest {
  private static long estimate(String vms) {
    return HeapEstimate.bytes(Machines.experiment("""
        duration: 1s
        metrics: {period: 1s}
        host: {memory: 8GiB}
        vms:
        """ + vms), Machines.REGISTRY.workloads());
  }

  /** What the host's chunk references and one time-series row per sample take: the part every case shares. */
  private static final long FIXED = HeapEstimate.BASE_BYTES + HeapEstimate.PER_FRAME_CHUNK * ((8L << 18) / 512)
      + HeapEstimate.PER_SAMPLE_ROW * 3;

  @Test
  void aVmIsEstimatedAtWhatItsProcessesTouch() {
    // 64 MiB of data and 1 MiB of code: 16,640 pages, with 65 + 64 pages of page tables.
    long touched = 16_640 + 16_640 / 256 + 64;
    long pages = 4L << 18;
    assertThat(estimate("  - {name: a, memory: 4GiB, processes: [{workload: {type: uniform, footprint: 64MiB}}]}\n"))
        .isEqualTo(FIXED + (HeapEstimate.PER_FRAME + HeapEstimate.PER_TOUCHED_PAGE) * touched
            + HeapEstimate.PER_UNTOUCHED_PAGE * (pages - touched));
  }

  @Test
  void copiesTouchTheirOwnAndAVmNeverMoreThanItsMemory() {
    long one = estimate("  - {name: a, memory: 4GiB, processes: [{workload: {type: uniform, footprint: 64MiB}}]}\n");
    long two = estimate("  - {name: a, memory: 4GiB, processes: [{workload: {type: uniform, footprint: 64MiB}, "
        + "copies: 2}]}\n");
    assertThat(two - one).isEqualTo((HeapEstimate.PER_FRAME + HeapEstimate.PER_TOUCHED_PAGE
        - HeapEstimate.PER_UNTOUCHED_PAGE) * (16_640 + 16_640 / 256));
    long full = estimate("  - {name: a, memory: 64MiB, processes: [{workload: {type: uniform, footprint: 60MiB}, "
        + "copies: 4}]}\n");
    assertThat(full).isEqualTo(FIXED + (HeapEstimate.PER_FRAME + HeapEstimate.PER_TOUCHED_PAGE) * 16_384);
  }

  @Test
  void aWorkloadThatCannotTellCountsTheWholeVm() {
    long pages = 1L << 18;
    // The scripted test workload does not say what it touches.
    assertThat(estimate("  - {name: a, memory: 1GiB, processes: [{workload: {type: script}}]}\n"))
        .isEqualTo(FIXED + (HeapEstimate.PER_FRAME + HeapEstimate.PER_TOUCHED_PAGE) * pages);
  }

  @Test
  void theHostCostsOnlyTheFramesTheGuestsCanUse() {
    // Four VMs of 4 GiB touching all of it on an 8 GiB host: every frame is used.
    long four = estimate("  - {name: a, memory: 4GiB, copies: 4, processes: [{workload: {type: script}}]}\n");
    long pages = 4L << 18;
    // (and three more VMs' time series)
    assertThat(four).isEqualTo(FIXED + HeapEstimate.PER_FRAME * (8L << 18)
        + HeapEstimate.PER_TOUCHED_PAGE * 4 * pages + HeapEstimate.PER_SAMPLE_ROW * 3 * 3);
  }
}
