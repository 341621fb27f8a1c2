package org.memvirt.reclaim.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.FaultCause;

/** Copy-on-write: a write to a page shared by k VMs leaves k-1 sharers and one new private frame. */
class CopyOnWriteTest {
  private static final long TOKEN = 0x5ca1ab1eL;

  @ParameterizedTest(name = "k = {0}")
  @ValueSource(ints = {2, 3, 8})
  void aWriteLeavesTheOtherSharersOnTheFrameAndTheWriterWithACopy(int k) {
    Rig r = new Rig(k, 4, Map.of());
    EsxScanner esx = (EsxScanner) r.sharing.scanner();
    for (int v = 0; v < k; v++) {
      r.vm(v).back(1, TOKEN);
      esx.visit(r.vm(v), 1);
    }
    long shared = r.frame(0, 1);
    assertThat(r.host.sharers(shared)).isEqualTo(k);
    long free = r.host.freeFrames();
    long zeroed = r.host.zeroed();

    r.write(k - 1, 1, TOKEN + 1);

    assertThat(r.host.sharers(shared)).isEqualTo(k - 1);
    assertThat(r.state(k - 1, 1)).isEqualTo(P2mEntry.MAPPED);
    long copy = r.frame(k - 1, 1);
    assertThat(copy).isNotEqualTo(shared);
    assertThat(r.host.privateTo(copy, k - 1, 1)).isTrue();
    assertThat(r.host.freeFrames()).isEqualTo(free - 1);
    assertThat(r.host.zeroed()).isEqualTo(zeroed + 1); // a new frame is zeroed, then filled
    assertThat(r.vm(k - 1).count(SharingMetrics.COW_BREAKS.name())).isEqualTo(1);
    // The oracle: the writer reads its write, every other sharer the old content.
    assertThat(r.host.content(copy)).isEqualTo(TOKEN + 1);
    for (int v = 0; v < k - 1; v++) {
      assertThat(r.host.content(r.vm(v).access(1, FaultCause.VCPU_READ))).isEqualTo(TOKEN);
    }
    r.host.checkFrames();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"esx", "ksm"})
  void anotherTechniqueTakesASharedPageThroughTheReleaseProtocol(String scanner) {
    Rig r = new Rig(2, 4, Map.of("scanner", scanner));
    for (int v = 0; v < 2; v++) {
      r.vm(v).back(0, TOKEN);
    }
    for (int i = 0; i < 10 && r.state(0, 0) != P2mEntry.SHARED; i++) {
      if (scanner.equals("esx")) {
        ((EsxScanner) r.sharing.scanner()).visit(r.vm(0), 0);
        ((EsxScanner) r.sharing.scanner()).visit(r.vm(1), 0);
      } else {
        r.tick();
      }
    }
    assertThat(r.state(1, 0)).isEqualTo(P2mEntry.SHARED);
    // keepContent: a private copy; without: the page simply stops sharing.
    assertThat(r.vm(0).requestRelease(0, true)).isTrue();
    assertThat(r.state(0, 0)).isEqualTo(P2mEntry.MAPPED);
    assertThat(r.host.content(r.frame(0, 0))).isEqualTo(TOKEN);
    assertThat(r.vm(1).requestRelease(0, false)).isTrue();
    assertThat(r.state(1, 0)).isEqualTo(P2mEntry.UNBACKED);
    assertThat(r.vm(1).count(SharingMetrics.RELEASED.name())).isEqualTo(1);
    r.host.checkFrames();
  }
}
