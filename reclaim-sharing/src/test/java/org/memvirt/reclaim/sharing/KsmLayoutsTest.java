package org.memvirt.reclaim.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * memvirt's KSM on {@link KsmLayouts}, against what Linux 6.18's ksmd printed for them on
 * this project's machines ({@link KernelKsmTest} runs them on the live kernel where it can).
 * Columns: pages_shared, pages_sharing, pages_unshared, pages_volatile, full_scans since the
 * merge, general_profit, stable_node_chains, stable_node_dups, ksm_zero_pages.
 */
class KsmLayoutsTest {
  private static final List<String> KERNEL = List.of(
      "identical pages across regions | first | 0 0 0 600 1 -38400 0 0 0",
      "identical pages across regions | settled | 3 597 0 0 3 2406912 1 3 0",
      "unique within a region, identical across | first | 0 0 0 2000 1 -128000 0 0 0",
      "unique within a region, identical across | settled | 1000 1000 0 0 3 3968000 0 0 0",
      "zero pages beyond one stable node | first | 0 0 0 1000 1 -64000 0 0 0",
      "zero pages beyond one stable node | settled | 4 996 0 0 3 4015616 1 4 0",
      "zero pages beside identical ones | first | 0 0 0 1604 1 -102656 0 0 0",
      "zero pages beside identical ones | settled | 503 1101 0 0 3 4407040 1 3 0",
      "a region rewritten after merging | merged | 400 400 0 0 3 1587200 0 0 0",
      "a region rewritten after merging | rewritten | 400 400 0 0 3 1587200 0 0 0",
      "a region rewritten after merging | visited | 400 0 0 400 4 -51200 0 0 0",
      "a region rewritten after merging | settled | 400 0 400 0 5 -51200 0 0 0",
      "a chain's dups refilled | merged | 3 597 0 0 3 2406912 1 3 0",
      "a chain's dups refilled | rewritten | 3 597 0 0 3 2406912 1 3 0",
      "a chain's dups refilled | visited | 3 397 0 200 4 1587712 1 3 0",
      "a chain's dups refilled | written-back | 3 397 0 200 5 1587712 1 3 0",
      "a chain's dups refilled | settled | 3 597 0 0 7 2406912 1 3 0",
      "a chain's dups refilled | pruned | 3 597 0 0 30 2406912 1 3 0",
      "zero, identical and unique pages | first | 0 0 0 2000 1 -128000 0 0 0",
      "zero, identical and unique pages | settled | 601 799 600 0 3 3144704 0 0 0");

  @Test
  void everyLayoutCountsAsTheKernelPrintedIt() {
    List<String> memvirt = new ArrayList<>();
    for (KsmLayout layout : KsmLayouts.all()) {
      for (Map.Entry<String, Map<String, Long>> point : layout.simulate().entrySet()) {
        StringBuilder b = new StringBuilder(layout.name()).append(" | ").append(point.getKey()).append(" |");
        for (String counter : KsmLayout.COUNTERS) {
          b.append(' ').append(point.getValue().get(counter));
        }
        memvirt.add(b.toString());
      }
    }
    assertThat(memvirt).containsExactlyElementsOf(KERNEL);
  }
}
