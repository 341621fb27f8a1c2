package org.memvirt.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real trace shipped in the test resources: GNU sort under valgrind lackey. */
class ShippedTraceTest {
  static final Path SORT = Path.of("../traces/sort.lackey.gz");

  @Test
  void countsByKindAndDistinctPages() throws IOException {
    TraceStats s = TraceStats.of(TraceFiles.open(SORT, null));
    // The counts grep gives on the uncompressed file ('^I ', '^ L', '^ S', '^ M').
    assertThat(s.fetches()).isEqualTo(1_747_247);
    assertThat(s.loads()).isEqualTo(412_631);
    assertThat(s.stores()).isEqualTo(238_437);
    assertThat(s.modifies()).isEqualTo(6_090);
    assertThat(s.distinctPages()).isEqualTo(EXPECTED_PAGES);
    assertThat(s.distinctCodePages()).isEqualTo(EXPECTED_CODE_PAGES);
    assertThat(s.pageAccesses()).isEqualTo(s.records() + s.crossings());
    assertThat(s.crossings()).isEqualTo(EXPECTED_CROSSINGS);
  }

  @Test
  void binaryCopyHoldsTheSameRecords(@TempDir Path dir) throws IOException {
    Path bin = dir.resolve("sort.mvt");
    long records = TraceFiles.convert(TraceFiles.open(SORT, null), bin, null);
    assertThat(records).isEqualTo(2_404_405);
    assertThat(TraceStats.of(TraceFiles.open(bin, null))).isEqualTo(TraceStats.of(TraceFiles.open(SORT, null)));
  }

  // Counted independently of memvirt, by a short script over the uncompressed text.
  static final long EXPECTED_PAGES = 252;
  static final long EXPECTED_CODE_PAGES = 125;
  static final long EXPECTED_CROSSINGS = 452;
}
