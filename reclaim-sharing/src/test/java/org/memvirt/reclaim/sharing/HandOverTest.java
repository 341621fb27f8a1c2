package org.memvirt.reclaim.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.testkit.FakeVm;

/**
 * A shared frame handed whole to another technique (host swapping with {@code shared}):
 * every page that maps it arrives as the engine's shared entry, the frame goes with the
 * last, and the scanner forgets it; the zero frame and a VM at its reservation are refused.
 */
class HandOverTest {
  private static final long TOKEN = 0xfeed_beefL;
  private static final int TAKER = 2;

  private static Rig merged(String scanner, long min) {
    Map<String, Object> s = scanner.equals("ksm") ? Map.of("scanner", "ksm", "pages_to_scan", "1000")
        : Map.of("scanner", "esx", "scan_vm", "1000", "scan_total", "3000");
    Rig r = new Rig(3, 8, min, s, List.of());
    for (int v = 0; v < 3; v++) {
      r.vm(v).back(1, TOKEN);
      r.vm(v).back(2, 0);
    }
    r.vm(0).back(3, TOKEN);
    for (int i = 0; i < 200 && r.host.sharers(r.frame(0, 1)) < 4; i++) {
      r.tick();
    }
    assertThat(r.host.sharers(r.frame(0, 1))).isEqualTo(4);
    return r;
  }

  /** Takes each page as host swapping would: its own swapped entry, one share less. */
  private static List<String> takeAll(Rig r, int vm, long gppn) {
    List<String> taken = new ArrayList<>();
    boolean ok = r.vm(vm).requestReleaseShared(gppn, (v, g, frame) -> {
      FakeVm w = r.vm(v);
      assertThat(w.get(g)).isEqualTo(P2mEntry.of(P2mEntry.SHARED, frame, 0));
      w.as(TAKER).set(g, P2mEntry.of(P2mEntry.SWAPPED, 7, TAKER));
      r.host.dropSharer(frame);
      taken.add(v + ":" + g);
    });
    return ok ? taken : null;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ksm", "esx"})
  void everyPageOfTheFrameGoesAndTheFrameWithThem(String scanner) {
    Rig r = merged(scanner, 0);
    long frame = r.frame(0, 1);
    long free = r.host.freeFrames();
    List<String> taken = takeAll(r, 1, 1);
    assertThat(taken).containsExactlyInAnyOrder("0:1", "0:3", "1:1", "2:1");
    assertThat(r.host.sharers(frame)).isZero();
    assertThat(r.host.freeFrames()).isEqualTo(free + 1);
    assertThat(r.vm(0).count(SharingMetrics.HANDED_OVER.name()) + r.vm(1).count(SharingMetrics.HANDED_OVER.name())
        + r.vm(2).count(SharingMetrics.HANDED_OVER.name())).isEqualTo(4);
    assertThat(r.sharing.holds(r.vm(0), 1, P2mEntry.of(P2mEntry.SHARED, frame, Rig.OWNER))).isFalse();
    if (scanner.equals("ksm")) {
      // The items stay on the (now stale) node until their pages are visited, as the kernel's
      // (beside the node of the three pages of zeros, 1 shared and 2 sharing).
      assertThat(r.host(SharingMetrics.PAGES_SHARED.name())).isEqualTo(2);
      assertThat(r.host(SharingMetrics.PAGES_SHARING.name())).isEqualTo(3 + 2);
      for (int i = 0; i < 50; i++) {
        r.tick();
      }
      assertThat(r.host(SharingMetrics.PAGES_SHARED.name())).isEqualTo(1);
      assertThat(r.host(SharingMetrics.PAGES_SHARING.name())).isEqualTo(2);
    }
    r.host.checkFrames();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ksm", "esx"})
  void pagesOfZerosOnTheZeroFrameStay(String scanner) {
    Rig r = new Rig(2, 4, scanner.equals("ksm") ? Map.of("scanner", "ksm", "use_zero_pages", "true")
        : Map.of("scanner", "esx", "scan_vm", "1000", "scan_total", "3000"));
    r.vm(0).back(0, 0);
    r.vm(1).back(0, 0);
    for (int i = 0; i < 200 && P2mEntry.state(r.vm(1).get(0)) != P2mEntry.SHARED; i++) {
      r.tick();
    }
    assertThat(P2mEntry.state(r.vm(1).get(0))).isEqualTo(P2mEntry.SHARED);
    assertThat(takeAll(r, 1, 0)).isNull();
    assertThat(P2mEntry.owner(r.vm(1).get(0))).isEqualTo(Rig.OWNER);
  }

  /** VM 0 maps the frame twice: with a reservation it would go below, nothing is handed over. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ksm", "esx"})
  void aVmTheFrameWouldTakeBelowItsReservationKeepsItAll(String scanner) {
    Rig r = merged(scanner, 0);
    Rig tight = merged(scanner, 3); // every VM backs 2 or 3 pages after merging: at or near min
    long frame = tight.frame(0, 1);
    assertThat(takeAll(tight, 1, 1)).isNull();
    assertThat(tight.host.sharers(frame)).isEqualTo(4);
    assertThat(P2mEntry.owner(tight.vm(0).get(3))).isEqualTo(Rig.OWNER);
    tight.host.checkFrames();
    assertThat(takeAll(r, 0, 3)).hasSize(4);
  }
}
