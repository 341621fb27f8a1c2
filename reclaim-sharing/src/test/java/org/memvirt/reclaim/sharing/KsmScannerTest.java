package org.memvirt.reclaim.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memvirt.api.memory.P2mEntry;

/** KSM's exact behaviour, checked against the kernel's rules and counters. */
class KsmScannerTest {
  private static final long TOKEN = 0x1234_5678_9abcL;

  private static Rig rig(int pages, Map<String, Object> extra) {
    Map<String, Object> s = new java.util.HashMap<>(Map.of("scanner", "ksm"));
    s.putAll(extra);
    return new Rig(1, pages, s);
  }

  private static KsmScanner ksm(Rig r) {
    return (KsmScanner) r.sharing.scanner();
  }

  /** Ticks until {@code scans} full scans are done. */
  private static void scanFully(Rig r, long scans) {
    for (int i = 0; i < 1_000_000 && ksm(r).fullScans() < scans; i++) {
      r.tick();
    }
  }

  @Test
  void twoIdenticalUnchangingPagesMergeOnTheSecondFullScan() {
    Rig r = rig(8, Map.of());
    r.vm(0).back(2, TOKEN);
    r.vm(0).back(5, TOKEN);
    scanFully(r, 1);
    assertThat(r.state(0, 2)).isEqualTo(P2mEntry.MAPPED);
    assertThat(r.host(SharingMetrics.PAGES_VOLATILE.name())).isEqualTo(2);
    scanFully(r, 2);
    assertThat(r.state(0, 2)).isEqualTo(P2mEntry.SHARED);
    assertThat(r.frame(0, 2)).isEqualTo(r.frame(0, 5));
    assertThat(r.host(SharingMetrics.PAGES_SHARED.name())).isEqualTo(1);
    assertThat(r.host(SharingMetrics.PAGES_SHARING.name())).isEqualTo(1);
    assertThat(r.host(SharingMetrics.PAGES_UNSHARED.name())).isZero();
    assertThat(r.host(SharingMetrics.PAGES_VOLATILE.name())).isZero();
    assertThat(r.host(SharingMetrics.FULL_SCANS.name())).isEqualTo(2);
    assertThat(r.host(SharingMetrics.GENERAL_PROFIT.name())).isEqualTo(4096 - 2 * 64);
    assertThat(r.host.freeFrames()).isEqualTo(r.host.totalFrames() - 1);
    r.host.checkFrames();
  }

  @Test
  void upToMaxPageSharingIdenticalPagesShareOneStableNode() {
    Rig r = rig(300, Map.of());
    for (long g = 0; g < 256; g++) {
      r.vm(0).back(g, TOKEN);
    }
    scanFully(r, 2);
    assertThat(r.host(SharingMetrics.PAGES_SHARED.name())).isEqualTo(1);
    assertThat(r.host(SharingMetrics.PAGES_SHARING.name())).isEqualTo(255);
    assertThat(r.host(SharingMetrics.STABLE_NODE_CHAINS.name())).isZero();
    r.host.checkFrames();
  }

  @Test
  void aThousandIdenticalPagesMakeAChainOfFourStableNodes() {
    Rig r = rig(1000, Map.of());
    for (long g = 0; g < 1000; g++) {
      r.vm(0).back(g, TOKEN);
    }
    scanFully(r, 2);
    StableTree t = ksm(r).stable();
    assertThat(r.host(SharingMetrics.PAGES_SHARED.name())).isEqualTo(4);
    assertThat(r.host(SharingMetrics.PAGES_SHARING.name())).isEqualTo(996);
    assertThat(r.host(SharingMetrics.STABLE_NODE_CHAINS.name())).isEqualTo(1);
    assertThat(r.host(SharingMetrics.STABLE_NODE_DUPS.name())).isEqualTo(4);
    long[] counts = {t.count(t.nodeOf(r.frame(0, 0))), t.count(t.nodeOf(r.frame(0, 300))),
        t.count(t.nodeOf(r.frame(0, 600))), t.count(t.nodeOf(r.frame(0, 999)))};
    assertThat(counts).containsExactly(256, 256, 256, 232);
    r.host.checkFrames();
  }

  @Test
  void aPageRewrittenBetweenVisitsStaysVolatile() {
    Rig r = rig(4, Map.of());
    r.vm(0).back(0, TOKEN);
    r.vm(0).back(1, TOKEN);
    for (int scan = 1; scan <= 4; scan++) {
      r.write(0, 1, TOKEN + scan);
      scanFully(r, scan);
    }
    assertThat(r.state(0, 1)).isEqualTo(P2mEntry.MAPPED);
    assertThat(r.host(SharingMetrics.PAGES_VOLATILE.name())).isEqualTo(1);
    assertThat(r.host(SharingMetrics.PAGES_UNSHARED.name())).isEqualTo(1); // page 0, unchanged, waits in the tree
  }

  /** Linux 6.18 checks the checksum before the stable tree: a new page equal to a node merges on its second visit. */
  @Test
  void aPageEqualToAStableNodeMergesOnItsSecondVisit() {
    Rig r = rig(4, Map.of());
    r.vm(0).back(0, TOKEN);
    r.vm(0).back(1, TOKEN);
    scanFully(r, 2);
    r.vm(0).back(3, TOKEN);
    scanFully(r, 3);
    assertThat(r.state(0, 3)).isEqualTo(P2mEntry.MAPPED);
    assertThat(r.host(SharingMetrics.PAGES_VOLATILE.name())).isEqualTo(1);
    scanFully(r, 4);
    assertThat(r.state(0, 3)).isEqualTo(P2mEntry.SHARED);
    assertThat(r.host(SharingMetrics.PAGES_SHARING.name())).isEqualTo(2);
  }

  @Test
  void useZeroPagesMapsPagesOfZerosToTheZeroPageAfterTwoScans() {
    Rig r = rig(8, Map.of("use_zero_pages", "true"));
    for (long g = 0; g < 3; g++) {
      r.vm(0).back(g, 0);
    }
    scanFully(r, 2);
    assertThat(r.host(SharingMetrics.KSM_ZERO_PAGES.name())).isEqualTo(3);
    assertThat(r.host(SharingMetrics.PAGES_SHARED.name())).isZero();
    assertThat(r.host(SharingMetrics.GENERAL_PROFIT.name())).isEqualTo(3 * 4096 - 3 * 64);
    assertThat(r.host.heldFrames()).isEqualTo(1);
    r.write(0, 1, TOKEN);
    assertThat(r.host(SharingMetrics.KSM_ZERO_PAGES.name())).isEqualTo(2);
    assertThat(r.vm(0).count(SharingMetrics.ZERO_BREAKS.name())).isEqualTo(1);
    r.host.checkFrames();
  }

  /**
   * A write to a merged page copies it (cow_ksm) at once, but its rmap item stays on the
   * stable node until ksmd next visits the page, as in the kernel: the counters move then.
   */
  @Test
  void aWriteToAKsmPageIsCountedAsCowKsm() {
    Rig r = rig(4, Map.of());
    for (long g = 0; g < 3; g++) {
      r.vm(0).back(g, TOKEN);
    }
    scanFully(r, 2);
    r.write(0, 0, TOKEN + 1);
    assertThat(r.host(SharingMetrics.COW_KSM.name())).isEqualTo(1);
    assertThat(r.host.sharers(r.frame(0, 1))).isEqualTo(2);
    assertThat(r.host(SharingMetrics.PAGES_SHARING.name())).isEqualTo(2);
    scanFully(r, 3);
    assertThat(r.host(SharingMetrics.PAGES_SHARING.name())).isEqualTo(1);
    assertThat(r.host(SharingMetrics.PAGES_VOLATILE.name())).isEqualTo(1);
    r.write(0, 1, TOKEN + 2);
    // The last sharer takes the frame back without a copy; the node is stale, its items
    // still counted until a visit meets it, and then gone with all of them.
    r.write(0, 2, TOKEN + 3);
    assertThat(r.host(SharingMetrics.COW_KSM.name())).isEqualTo(2);
    assertThat(r.vm(0).count(SharingMetrics.COW_REUSED.name())).isEqualTo(1);
    assertThat(r.host(SharingMetrics.PAGES_SHARED.name())).isEqualTo(1);
    assertThat(r.sharing.holds(r.vm(0), 2, P2mEntry.of(P2mEntry.SHARED, r.frame(0, 2), Rig.OWNER))).isFalse();
    scanFully(r, 4);
    assertThat(r.host(SharingMetrics.PAGES_SHARED.name())).isZero();
    assertThat(r.host(SharingMetrics.PAGES_SHARING.name())).isZero();
    assertThat(r.host(SharingMetrics.PAGES_VOLATILE.name())).isEqualTo(2); // pages 1 and 2, just changed
    assertThat(r.host(SharingMetrics.PAGES_UNSHARED.name())).isEqualTo(1); // page 0, unchanged since scan 3
    r.host.checkFrames();
  }

  @Test
  void pagesToScanAndSleepSetTheRate() {
    Rig r = rig(1000, Map.of("pages_to_scan", "50", "sleep_millisecs", "10"));
    for (long g = 0; g < 1000; g++) {
      r.vm(0).back(g, TOKEN + g);
    }
    assertThat(r.sharing.periodNanos()).isEqualTo(10_000_000L);
    for (int i = 0; i < 10; i++) {
      r.tick();
    }
    assertThat(r.vm(0).count(SharingMetrics.SCANNED.name())).isEqualTo(500);
  }

  @Test
  void aVmWithSharingOffIsNeverScanned() {
    Rig r = new Rig(2, 4, Map.of("scanner", "ksm"), java.util.List.of(Map.of(), Map.of("sharing", "false")));
    r.vm(0).back(0, TOKEN);
    r.vm(1).back(0, TOKEN);
    r.vm(1).back(1, TOKEN);
    scanFully(r, 3);
    assertThat(r.vm(1).count(SharingMetrics.SCANNED.name())).isZero();
    assertThat(r.state(1, 0)).isEqualTo(P2mEntry.MAPPED);
    assertThat(r.state(0, 0)).isEqualTo(P2mEntry.MAPPED);

    Rig none = new Rig(1, 4, Map.of("scanner", "ksm"), java.util.List.of(Map.of("sharing", "false")));
    for (int i = 0; i < 10; i++) {
      none.tick();
    }
    assertThat(ksm(none).fullScans()).isZero();
  }
}
