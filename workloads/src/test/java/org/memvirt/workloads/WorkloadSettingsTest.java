package org.memvirt.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.memvirt.api.workload.AccessBatch;
import org.memvirt.api.workload.Workload;
import org.memvirt.testkit.FakeWorkloadContext;
import org.memvirt.testkit.MapSettings;

/** Every bad setting of the synthetic workloads is refused with its key and the range; the phases pattern's moves. */
class WorkloadSettingsTest {
  private static Workload workload(String type, Map<String, Object> settings) {
    PatternWorkloadFactory f = WorkloadsPlugin.FACTORIES.stream().filter(x -> x.name().equals(type)).findFirst()
        .orElseThrow();
    return f.create(new FakeWorkloadContext(new MapSettings(settings), 3));
  }

  @ParameterizedTest(name = "{0} {1}={2}")
  @CsvSource(delimiter = '|', value = {
    "uniform|footprint|4|footprint: expected a whole number of 4 KiB pages",
    "uniform|footprint|0|footprint: expected a size of at least one 4 KiB page",
    "uniform|footprint|2GiB|footprint: expected at most the VM's memory plus its guest swap (1024 MiB)",
    "uniform|code|4|code: expected a whole number of 4 KiB pages",
    "uniform|code|0|code: expected a size of at least one 4 KiB page",
    "idle|active|6KiB|active: expected a whole number of 4 KiB pages",
    "uniform|base|0x10000010|base: expected a page-aligned address",
    "uniform|base|0x400000|base: expected a data region that does not overlap the code region",
    "uniform|base|0x7ffffff00000|base: expected an address range within the 47-bit user address space",
    "phases|working_set|4|working_set: expected a whole number of 4 KiB pages",
    "phases|working_set|0|working_set: expected a size from one 4 KiB page to the footprint",
    "phases|working_set|512MiB|working_set: expected a size from one 4 KiB page to the footprint",
    "phases|alternate|4|alternate: expected a whole number of 4 KiB pages",
    "phases|alternate|512MiB|alternate: expected a size from one 4 KiB page to the footprint",
    "phases|phase|0|phase: expected a positive number of accesses",
  })
  void aBadSettingIsRefusedWithItsRange(String type, String key, String value, String message) {
    Map<String, Object> settings = new java.util.HashMap<>(Map.of("footprint", "256MiB"));
    settings.put(key, value);
    assertThatThrownBy(() -> workload(type, settings)).hasMessageStartingWith(message);
  }

  /** A phase of 100 accesses in a 4 KiB working set, then 100 in a 16 KiB one just after it. */
  @Test
  void phasesMoveTheWorkingSetAndAlternateItsSize() {
    Workload w = workload("phases", Map.of("footprint", "1MiB", "working_set", "4KiB", "alternate", "16KiB",
        "phase", "100", "writes", "0", "code", "4KiB"));
    AccessBatch b = new AccessBatch(100);
    Set<Long> first = new HashSet<>();
    Set<Long> second = new HashSet<>();
    int seen = 0;
    while (seen < 200) {
      int n = w.next(b);
      for (int i = 0; i < n && seen < 200; i++, seen++) {
        long off = b.addresses[i] - PatternWorkloadFactory.DATA_BASE;
        if (off < 0) {
          seen--; // an instruction fetch of the code region
          continue;
        }
        (seen < 100 ? first : second).add(off >>> 12);
      }
    }
    assertThat(first).containsExactly(0L);
    // The second working set starts where the first ended and spans 4 pages.
    assertThat(second).isSubsetOf(1L, 2L, 3L, 4L).hasSizeGreaterThan(2);
  }
}
