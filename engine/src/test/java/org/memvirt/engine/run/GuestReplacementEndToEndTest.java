package org.memvirt.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.memvirt.api.MetricNames;
import org.memvirt.engine.report.RunResult;

/**
 * The reference strings of REFERENCES.md run through the whole machine: a guest with room
 * for its four page-table pages plus exactly 3 or 4 data pages; every guest page fault,
 * including the first touch of each page, is counted in pf_guest.
 */
class GuestReplacementEndToEndTest {
  private static final String BELADY = "1,2,3,4,1,2,5,1,2,3,4,5";
  private static final String TEXTBOOK = "7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1";

  @ParameterizedTest(name = "{0} with {1} frames: {2} faults")
  @CsvSource(delimiter = ';', value = {
    "fifo; 3; 9; " + BELADY, "fifo; 4; 10; " + BELADY, "lru; 3; 10; " + BELADY, "lru; 4; 8; " + BELADY,
    "fifo; 3; 15; " + TEXTBOOK, "fifo; 4; 10; " + TEXTBOOK, "lru; 3; 12; " + TEXTBOOK, "lru; 4; 8; " + TEXTBOOK,
    "clock; 3; 9; " + BELADY})
  void pageFaults(String policy, int frames, int expected, String refs) {
    int pages = 4 + frames; // PML4, PDPT, PD and PT, then the data frames
    RunResult r = Machines.run("""
        host: {memory: 1MiB}
        verify: true
        vms:
          - name: vm
            memory: %dKiB
            guest: {replacement: %s}
            processes:
              - workload: {type: script, pages: "%s", write: true}
        """.formatted(pages * 4, policy, refs));
    assertThat(Machines.metric(r, "vm", MetricNames.PF_GUEST)).isEqualTo(expected);
    int distinct = (int) java.util.Arrays.stream(refs.split(",")).distinct().count();
    assertThat(Machines.metric(r, "vm", MetricNames.GUEST_SWAP_INS)).isEqualTo(expected - distinct);
  }
}
