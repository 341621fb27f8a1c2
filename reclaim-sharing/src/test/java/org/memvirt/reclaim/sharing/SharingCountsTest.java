package org.memvirt.reclaim.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.LimitReach;

/**
 * KSM's work counted exactly, visit by visit, on hand-made pages (what the cost model charges
 * and the overhead gauge reports); what a technique that holds shared pages says of itself;
 * the settings at their edges.
 */
class SharingCountsTest {
  private static final long TOKEN = 0x1234_5678_9abcL;
  private static final long UNIQUE = 0x0fed_cba9_8765L;

  private static Rig ksm(int pages) {
    return new Rig(1, pages, Map.of("scanner", "ksm", "pages_to_scan", "1000"));
  }

  private static KsmScanner scanner(Rig r) {
    return (KsmScanner) r.sharing.scanner();
  }

  private static void scans(Rig r, long n) {
    for (int i = 0; i < 1_000_000 && scanner(r).fullScans() < n; i++) {
      r.tick();
    }
  }

  /**
   * Pages 2 and 5 identical, page 7 unique. Scan 1 hashes each (3) and records checksums.
   * Scan 2 hashes each again (6): page 2 goes into the unstable tree (no walk, both trees
   * are empty), page 5 finds it there (a walk of one step) and the two merge (one compare),
   * page 7 searches the stable tree (one step: one node now) and goes into the unstable one
   * (empty again). Then page 7 goes away and page 6 comes with the same content as the
   * stable node: scan 3 hashes it (its checksum is new: volatile) and forgets page 7; scan 4
   * hashes it again and finds it in the stable tree (one step, one compare). Pages 2 and 5,
   * merged, cost nothing.
   */
  @Test
  void everyVisitIsCounted() {
    Rig r = ksm(8);
    r.vm(0).back(2, TOKEN);
    r.vm(0).back(5, TOKEN);
    r.vm(0).back(7, UNIQUE);
    scans(r, 1);
    assertThat(r.host(SharingMetrics.HASHES.name())).isEqualTo(3);
    assertThat(r.host(SharingMetrics.COMPARES.name())).isZero();
    assertThat(r.host(SharingMetrics.TREE_STEPS.name())).isZero();
    assertThat(r.vm(0).count(SharingMetrics.SCANNED.name())).isEqualTo(3);
    assertThat(r.host(SharingMetrics.RMAP_ITEMS.name())).isEqualTo(3);
    assertThat(r.host(SharingMetrics.PAGES_VOLATILE.name())).isEqualTo(3);
    scans(r, 2);
    assertThat(r.host(SharingMetrics.HASHES.name())).isEqualTo(6);
    assertThat(r.host(SharingMetrics.COMPARES.name())).isEqualTo(1);
    assertThat(r.host(SharingMetrics.TREE_STEPS.name())).isEqualTo(2);
    assertThat(r.vm(0).count(SharingMetrics.MERGED.name())).isEqualTo(1);
    assertThat(r.host(SharingMetrics.PAGES_UNSHARED.name())).isEqualTo(1);
    assertThat(r.host(SharingMetrics.OVERHEAD.name())).isEqualTo(3 * 64 + 64);
    long frame7 = r.frame(0, 7);
    r.vm(0).set(7, 0);
    r.host.free(frame7);
    r.vm(0).back(6, TOKEN);
    scans(r, 3);
    assertThat(r.state(0, 6)).isEqualTo(P2mEntry.MAPPED);
    assertThat(r.host(SharingMetrics.HASHES.name())).isEqualTo(7);
    assertThat(r.host(SharingMetrics.PAGES_VOLATILE.name())).isEqualTo(1);
    assertThat(r.host(SharingMetrics.PAGES_UNSHARED.name())).isZero();
    scans(r, 4);
    assertThat(r.state(0, 6)).isEqualTo(P2mEntry.SHARED);
    assertThat(r.host(SharingMetrics.HASHES.name())).isEqualTo(8);
    assertThat(r.host(SharingMetrics.COMPARES.name())).isEqualTo(2);
    assertThat(r.host(SharingMetrics.TREE_STEPS.name())).isEqualTo(3);
    assertThat(r.vm(0).count(SharingMetrics.MERGED.name())).isEqualTo(2);
    assertThat(r.vm(0).count(SharingMetrics.SCANNED.name())).isEqualTo(3 + 3 + 3 + 3);
    assertThat(r.host(SharingMetrics.RMAP_ITEMS.name())).isEqualTo(3);
    assertThat(r.host(SharingMetrics.PAGES_UNSHARED.name())).isZero();
    assertThat(r.host(SharingMetrics.PAGES_SHARED.name())).isEqualTo(1);
    assertThat(r.host(SharingMetrics.PAGES_SHARING.name())).isEqualTo(2);
    assertThat(r.host(SharingMetrics.PAGES_VOLATILE.name())).isZero();
    assertThat(r.host(SharingMetrics.GENERAL_PROFIT.name())).isEqualTo(2 * 4096 - 3 * 64);
    assertThat(r.host(SharingMetrics.OVERHEAD.name())).isEqualTo(3 * 64 + 64);
    r.host.checkFrames();
  }

  /** With use_zero_pages, a page of zeros joins the zero page on its second visit (a compare, no tree). */
  @Test
  void aZeroPageIsComparedAndJoinsTheZeroPage() {
    Rig r = new Rig(1, 4, Map.of("scanner", "ksm", "pages_to_scan", "1000", "use_zero_pages", "true"));
    r.vm(0).back(1, 0);
    scans(r, 2);
    assertThat(r.host(SharingMetrics.COMPARES.name())).isEqualTo(1);
    assertThat(r.host(SharingMetrics.TREE_STEPS.name())).isZero();
    assertThat(r.vm(0).count(SharingMetrics.ZERO_MERGED.name())).isEqualTo(1);
    assertThat(r.host(SharingMetrics.KSM_ZERO_PAGES.name())).isEqualTo(1);
    assertThat(r.host(SharingMetrics.GENERAL_PROFIT.name())).isEqualTo(4096 - 64);
    assertThat(r.sharing.holds(r.vm(0), 1, r.vm(0).get(1))).isTrue();
    r.host.checkFrames();
  }

  /**
   * Given back to another technique: with its content (a private copy), or, content not
   * needed, just dropped from the node; either way the stable node counts one page fewer.
   */
  @Test
  void aReleasedPageLeavesItsNode() {
    Rig r = ksm(8);
    for (long g = 0; g < 3; g++) {
      r.vm(0).back(g, TOKEN);
    }
    scans(r, 2);
    assertThat(r.host(SharingMetrics.PAGES_SHARING.name())).isEqualTo(2);
    long shared = r.vm(0).get(0);
    assertThat(r.sharing.holds(r.vm(0), 0, shared)).isTrue();
    assertThat(r.sharing.holds(r.vm(0), 0, P2mEntry.mapped(3))).isFalse();
    assertThat(r.sharing.holds(r.vm(0), 0, P2mEntry.of(P2mEntry.SHARED, 3, Rig.OWNER))).as("no node of frame 3")
        .isFalse();
    assertThat(r.sharing.release(r.vm(0), 0, shared, true)).isTrue();
    assertThat(r.state(0, 0)).isEqualTo(P2mEntry.MAPPED);
    assertThat(r.host.content(r.frame(0, 0))).isEqualTo(TOKEN);
    // The items stay on the node until ksmd visits the pages again, as in the kernel.
    assertThat(r.host(SharingMetrics.PAGES_SHARING.name())).isEqualTo(2);
    assertThat(r.sharing.release(r.vm(0), 1, r.vm(0).get(1), false)).isTrue();
    assertThat(r.vm(0).get(1)).isZero();
    assertThat(r.host.sharers(r.frame(0, 2))).isEqualTo(1);
    // On the next scan page 1, unbacked, leaves; page 0, unchanged, merges back.
    scans(r, 3);
    assertThat(r.state(0, 0)).isEqualTo(P2mEntry.SHARED);
    assertThat(r.host(SharingMetrics.PAGES_SHARING.name())).isEqualTo(1);
    assertThat(r.host(SharingMetrics.PAGES_SHARED.name())).isEqualTo(1);
    assertThat(r.host(SharingMetrics.RMAP_ITEMS.name())).isEqualTo(2);
    assertThat(r.vm(0).count(SharingMetrics.RELEASED.name())).isEqualTo(2);
    r.host.checkFrames();
  }

  /** A VM at its reservation keeps a released page's content even when it is not asked to (it must stay backed). */
  @Test
  void atItsReservationAReleasedPageKeepsItsContent() {
    Rig r = new Rig(1, 8, 2, Map.of("scanner", "ksm", "pages_to_scan", "1000"), java.util.List.of());
    r.vm(0).back(0, TOKEN);
    r.vm(0).back(1, TOKEN);
    scans(r, 2);
    assertThat(r.sharing.release(r.vm(0), 0, r.vm(0).get(0), false)).isTrue();
    assertThat(r.state(0, 0)).isEqualTo(P2mEntry.MAPPED);
    assertThat(r.host.content(r.frame(0, 0))).isEqualTo(TOKEN);
    r.host.checkFrames();
  }

  @Test
  void sharingHoldsNoLimitAndSaysWhyItFreesNothingAtOnce() {
    Rig r = ksm(8);
    assertThat(r.sharing.limitReach(r.vm(0))).isEqualTo(new LimitReach(8,
        "what sharing frees depends on the pages' content"));
    assertThat(r.sharing.whyNothingFreed(r.vm(0))).isEqualTo(
        "sharing frees only what its scanner merges, on the scanner's time, never at once");
    assertThat(r.sharing.reclaim(r.vm(0), 10)).isZero();
  }

  @Test
  void theFactoryDocumentsItself() {
    SharingReclaimerFactory f = new SharingReclaimerFactory();
    assertThat(f.costs()).extracting(org.memvirt.api.mmu.CostEntry::counter).contains(SharingMetrics.HASHES.name(),
        SharingMetrics.COMPARES.name(), SharingMetrics.TREE_STEPS.name());
    assertThat(f.metrics()).extracting(org.memvirt.api.MetricInfo::name).contains(SharingMetrics.PAGES_SHARED.name(),
        SharingMetrics.COW_BREAKS.name(), SharingMetrics.OVERHEAD.name());
    assertThat(f.settings()).extracting(org.memvirt.api.SettingInfo::key).contains("scanner", "salt",
        "pages_to_scan", "max_page_sharing");
    assertThat(f.vmSettings()).extracting(org.memvirt.api.SettingInfo::key).contains("sharing", "salt");
  }

  /** The last accepted value of each bounded setting. */
  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({"pages_to_scan, 1", "pages_to_scan, 2147483647", "sleep_millisecs, 1", "sleep_millisecs, 4294967295",
      "max_page_sharing, 2", "max_page_sharing, 65536"})
  void ksmAccepts(String key, String value) {
    assertThat(new Rig(1, 4, Map.of("scanner", "ksm", key, value)).sharing).isNotNull();
  }

  /** And the first refused one. */
  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({"pages_to_scan, 0", "pages_to_scan, 2147483648", "sleep_millisecs, 0", "sleep_millisecs, 4294967296",
      "max_page_sharing, 1", "max_page_sharing, 65537"})
  void ksmRefuses(String key, String value) {
    assertThatThrownBy(() -> new Rig(1, 4, Map.of("scanner", "ksm", key, value))).hasMessageStartingWith(key + ":");
  }

  /** KSM's period is sleep_millisecs, in nanoseconds. */
  @Test
  void sleepIsThePeriod() {
    assertThat(new Rig(1, 4, Map.of("scanner", "ksm", "sleep_millisecs", "7")).sharing.periodNanos())
        .isEqualTo(7_000_000L);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({"scan_vm, 0", "scan_total, 0", "period, 0", "scan_time, 0"})
  void esxRefuses(String key, String value) {
    Map<String, Object> s = new HashMap<>(Map.of(key, value));
    assertThatThrownBy(() -> new Rig(1, 4, s)).hasMessageContaining(key);
  }

  /** ESX's scan order: every page once a pass, in a new random order each pass, another for another seed. */
  @ParameterizedTest(name = "{0} pages")
  @CsvSource({"1", "2", "5", "100", "1000"})
  void theScanOrderVisitsEveryPageOnceAPass(int pages) {
    ScanOrder o = new ScanOrder(pages, 3);
    java.util.List<Long> first = new java.util.ArrayList<>();
    java.util.List<Long> second = new java.util.ArrayList<>();
    for (int i = 0; i < pages; i++) {
      first.add(o.next());
    }
    assertThat(o.passes()).isZero();
    for (int i = 0; i < pages; i++) {
      second.add(o.next());
    }
    assertThat(o.passes()).isEqualTo(1);
    assertThat(new java.util.TreeSet<>(first)).hasSize(pages).first().isEqualTo(0L);
    assertThat(new java.util.TreeSet<>(first).last()).isEqualTo(pages - 1L);
    assertThat(new java.util.TreeSet<>(second)).hasSize(pages);
    if (pages >= 100) {
      assertThat(second).isNotEqualTo(first);
      ScanOrder other = new ScanOrder(pages, 4);
      java.util.List<Long> seeded = new java.util.ArrayList<>();
      for (int i = 0; i < pages; i++) {
        seeded.add(other.next());
      }
      assertThat(seeded).isNotEqualTo(first);
      // Not the identity, nor close to it.
      long inPlace = java.util.stream.IntStream.range(0, pages).filter(i -> first.get(i) == i).count();
      assertThat(inPlace).isLessThan(pages / 10);
    }
  }
}
