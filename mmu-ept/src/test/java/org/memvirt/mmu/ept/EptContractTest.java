package org.memvirt.mmu.ept;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memvirt.api.MetricNames;
import org.memvirt.testkit.MmuContract;

/**
 * Nested paging keeps the MMU contract: every access, under random guest tables and P2M
 * changes, is what a reference walk gives, with the nested walk caches and nested TLB on
 * or off as the seed draws them; and a 2D walk never costs less than the native one.
 */
class EptContractTest {
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
  void everyAccessSeesTheGuestTablesAndTheP2mAsTheyAreNow(long seed) {
    MmuContract.Report r = MmuContract.verify(new EptMmuFactory(), Map.of(), seed);
    assertThat(r.accesses()).isGreaterThan(200);
    assertThat(r.guestFaults()).isPositive().isLessThan(r.accesses());
    assertThat(r.machine().count(MetricNames.WALK_REFS))
        .isGreaterThanOrEqualTo(r.machine().count(MetricNames.NATIVE_WALK_REFS));
  }
}
