package org.memvirt.reclaim.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memvirt.api.memory.P2mEntry;

/** ESX's scanner, exact: hints, stale hints, the 16-bit count and its overflow, the scan rates. */
class EsxScannerTest {
  private static final long TOKEN = 0x0bad_cafe_f00dL;

  private static EsxScanner esx(Rig r) {
    return (EsxScanner) r.sharing.scanner();
  }

  @Test
  void aMissLeavesAHintAndAMatchOnItSharesBothPages() {
    Rig r = new Rig(2, 16, Map.of());
    r.vm(0).back(3, TOKEN);
    r.vm(1).back(7, TOKEN);
    esx(r).visit(r.vm(0), 3);
    assertThat(esx(r).table().hintEntries()).isEqualTo(1);
    assertThat(r.state(0, 3)).isEqualTo(P2mEntry.MAPPED);
    long before = r.host.freeFrames();
    esx(r).visit(r.vm(1), 7);
    assertThat(r.state(0, 3)).isEqualTo(P2mEntry.SHARED);
    assertThat(r.state(1, 7)).isEqualTo(P2mEntry.SHARED);
    assertThat(r.frame(0, 3)).isEqualTo(r.frame(1, 7));
    assertThat(r.host.freeFrames()).isEqualTo(before + 1);
    assertThat(esx(r).table().hintEntries()).isZero();
    assertThat(esx(r).table().sharedEntries()).isEqualTo(1);
    assertThat(r.host(SharingMetrics.HINT_MATCHES.name())).isEqualTo(1);
    // A third page with the content joins the shared frame: a full comparison, count 3.
    r.vm(1).back(8, TOKEN);
    esx(r).visit(r.vm(1), 8);
    assertThat(r.host.sharers(r.frame(1, 8))).isEqualTo(3);
    assertThat(esx(r).table().count(ContentHash.of(TOKEN, 0))).isEqualTo(3);
    r.host.checkFrames();
  }

  @Test
  void aStaleHintIsDroppedAndTheNewPageTakesItsPlace() {
    Rig r = new Rig(1, 16, Map.of());
    r.vm(0).back(0, TOKEN);
    r.vm(0).back(1, TOKEN);
    esx(r).visit(r.vm(0), 0);
    r.write(0, 0, TOKEN + 1); // the hinted page changes
    esx(r).visit(r.vm(0), 1);
    assertThat(r.host(SharingMetrics.HINTS_STALE.name())).isEqualTo(1);
    assertThat(r.state(0, 1)).isEqualTo(P2mEntry.MAPPED);
    long hint = esx(r).table().get(ContentHash.of(TOKEN, 0));
    assertThat(ShareTable.isShared(hint)).isFalse();
    assertThat(ShareTable.low(hint)).isEqualTo(1);
    // Page 0's new content has not been hashed yet: the hint for page 1 is the only entry.
    assertThat(esx(r).table().hintEntries()).isEqualTo(1);
  }

  @Test
  void theReferenceCountOverflowsPastSixteenBitsIntoTheOverflowTable() {
    int pages = 70_000;
    Rig r = new Rig(1, pages, Map.of());
    for (long g = 0; g < pages; g++) {
      r.vm(0).back(g, TOKEN);
    }
    for (long g = 0; g < pages; g++) {
      esx(r).visit(r.vm(0), g);
    }
    long key = ContentHash.of(TOKEN, 0);
    assertThat(esx(r).table().count(key)).isEqualTo(pages);
    assertThat(esx(r).table().overflowEntries()).isEqualTo(1);
    assertThat(r.host.sharers(r.frame(0, 0))).isEqualTo(pages);
    // Sharers leave one by one: the count comes back down through the overflow and the entry goes.
    for (long g = 0; g < pages - 1; g++) {
      r.write(0, g, g + 1);
    }
    assertThat(esx(r).table().count(key)).isEqualTo(1);
    assertThat(esx(r).table().overflowEntries()).isZero();
    r.write(0, pages - 1, 7);
    assertThat(esx(r).table().get(key)).isEqualTo(LongMaps.MISSING);
    assertThat(r.vm(0).count(SharingMetrics.COW_REUSED.name())).isEqualTo(1);
    r.host.checkFrames();
  }

  @Test
  void aFortyMebibyteVmAtFiftyPagesPerSecondIsCoveredInTwoHundredAndFourPointEightSeconds() {
    int pages = 40 * 256; // 40 MiB
    Rig r = new Rig(1, pages, Map.of());
    for (long g = 0; g < pages; g++) {
      r.vm(0).back(g, TOKEN + g);
    }
    long ticks = 2048; // 204.8 s at the default 100 ms period
    for (long t = 0; t < ticks - 1; t++) {
      r.tick();
    }
    assertThat(r.vm(0).count(SharingMetrics.SCANNED.name())).isEqualTo(pages - 5);
    assertThat(esx(r).table().hintEntries()).isEqualTo(pages - 5);
    r.tick();
    assertThat(r.clock.nanos()).isEqualTo(204_800_000_000L);
    assertThat(r.vm(0).count(SharingMetrics.SCANNED.name())).isEqualTo(pages);
    // Every page hashed once, in random order: all hints, none twice.
    assertThat(esx(r).table().hintEntries()).isEqualTo(pages);
    assertThat(esx(r).passes(0)).isZero();
  }

  @Test
  void withScanTimeEachVmIsCoveredOncePerScanTime() {
    // ESXi 4+: Mem.ShareScanTime 60 min: each VM at its pages per hour (2.84 pages/s for 40 MiB).
    Rig r = new Rig(2, 40 * 256, Map.of("scan_time", "3600000000000"));
    for (int t = 0; t < 36_000; t++) {
      r.tick();
    }
    assertThat(r.vm(0).count(SharingMetrics.SCANNED.name())).isBetween(40 * 256 - 1L, 40 * 256L);
    r.tick();
    assertThat(r.vm(0).count(SharingMetrics.SCANNED.name())).isEqualTo(40 * 256);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SharingSettings.read(
        new org.memvirt.testkit.MapSettings(Map.of("scan_time", "1", "scan_vm", "5")))).hasMessageContaining("scan_vm");
  }

  @Test
  void theTotalRateIsSplitAmongVms() {
    Rig r = new Rig(8, 64, Map.of());
    for (int t = 0; t < 10; t++) {
      r.tick();
    }
    // 200 pages/s in all over 8 VMs: 25 each, under the 50 per VM.
    for (int v = 0; v < 8; v++) {
      assertThat(r.vm(v).count(SharingMetrics.SCANNED.name())).isEqualTo(25);
    }
  }

  @Test
  void zeroPagesMapToOneZeroFrameTheHostHolds() {
    Rig r = new Rig(2, 8, Map.of("salt", "vm"));
    r.vm(0).back(0, 0);
    r.vm(1).back(0, 0);
    esx(r).visit(r.vm(0), 0);
    esx(r).visit(r.vm(1), 0);
    assertThat(r.frame(0, 0)).isEqualTo(r.frame(1, 0));
    assertThat(r.host.heldFrames()).isEqualTo(1);
    assertThat(r.vm(0).count(SharingMetrics.ZERO_MERGED.name())).isEqualTo(1);
    r.write(1, 0, TOKEN);
    assertThat(r.vm(1).count(SharingMetrics.ZERO_BREAKS.name())).isEqualTo(1);
    assertThat(r.host.sharers(r.frame(0, 0))).isEqualTo(1);
    r.host.checkFrames();
  }

  @Test
  void saltsKeepVmsApartUnlessTheyShareASalt() {
    Map<String, Object> s = new HashMap<>(Map.of("salt", "vm"));
    Rig r = new Rig(3, 8, s, java.util.List.of(Map.of(), Map.of("salt", "team"), Map.of("salt", "team")));
    for (int v = 0; v < 3; v++) {
      r.vm(v).back(0, TOKEN);
      esx(r).visit(r.vm(v), 0);
    }
    assertThat(r.state(0, 0)).isEqualTo(P2mEntry.MAPPED);
    assertThat(r.state(1, 0)).isEqualTo(P2mEntry.SHARED);
    assertThat(r.frame(1, 0)).isEqualTo(r.frame(2, 0));
  }
}
