package org.memvirt.mmu.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memvirt.api.MetricNames;
import org.memvirt.testkit.FakeMachine;
import org.memvirt.testkit.MmuContract;

/**
 * Shadow paging against the guest's own tables: the testkit's {@link MmuContract} (random
 * guest tables and P2M changes, every access checked against a reference walk), under
 * random shadow settings (unsync on or off, flood thresholds, root caches), and then the
 * shadow MMU's own books: every exit counted under one cause, no more emulated entry
 * writes than write traps.
 */
class ShadowAgainstGuestTest {
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
  void everyAccessSeesTheGuestTablesAndTheP2mAsTheyAreNow(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, Object> settings = new HashMap<>();
    settings.put("unsync", random.nextBoolean() ? "true" : "false");
    settings.put("flood_threshold", String.valueOf(1 + random.nextInt(4)));
    settings.put("root_cache", String.valueOf(random.nextInt(3)));
    MmuContract.Report r = MmuContract.verify(new ShadowMmuFactory(), settings, seed);
    assertThat(r.accesses()).isGreaterThan(200);
    assertThat(r.guestFaults()).isPositive().isLessThan(r.accesses());
    FakeMachine fm = r.machine();
    assertThat(fm.count(MetricNames.EXITS)).isEqualTo(fm.count(ShadowMetrics.EXITS_CR3)
        + fm.count(ShadowMetrics.EXITS_PTE_WRITE) + fm.count(ShadowMetrics.EXITS_HIDDEN_FAULT)
        + fm.count(ShadowMetrics.EXITS_INVLPG));
    // A trapped write of a whole table page is an exit but no emulated entry write.
    assertThat(fm.count(ShadowMetrics.MMU_PTE_WRITE)).isLessThanOrEqualTo(fm.count(ShadowMetrics.EXITS_PTE_WRITE));
    assertThat(fm.count(ShadowMetrics.SHADOW_PAGES)).isNotNegative();
  }
}
