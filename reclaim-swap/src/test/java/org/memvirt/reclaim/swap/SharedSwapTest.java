package org.memvirt.reclaim.swap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memvirt.api.Counter;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.FaultCause;
import org.memvirt.api.reclaim.Reclaimer;
import org.memvirt.api.reclaim.SharedFrameTaker;
import org.memvirt.api.reclaim.VmMemory;
import org.memvirt.testkit.FakeClock;
import org.memvirt.testkit.FakeHostMemory;
import org.memvirt.testkit.FakeReclaimContext;
import org.memvirt.testkit.FakeVm;
import org.memvirt.testkit.MapSettings;

/**
 * Host swapping with {@code shared: true}, counted exactly: two VMs of 8 pages whose pages 1
 * (and VM a's page 2) share one frame held by a hand-made sharing technique, swapped out
 * whole and brought back through the swap cache.
 */
class SharedSwapTest {
  private static final int SWAP = 1;
  private static final int SHARER = 2;
  private static final long TOKEN = 0x5eed_0001L;
  private final FakeHostMemory host = new FakeHostMemory(32);
  private final FakeVm a = new FakeVm(0, "a", 8, 0, 8, 1000, SWAP, host);
  private final FakeVm b = new FakeVm(1, "b", 8, 0, 8, 1000, SWAP, host);
  private final List<long[]> mappings = new ArrayList<>();
  private Reclaimer swapper;
  private long frame;

  /** Holds the shared frame and hands it over whole when asked, as reclaim-sharing does. */
  private final Reclaimer sharer = new Reclaimer() {
    @Override
    public org.memvirt.api.memory.HostMemoryState actsFrom() {
      return org.memvirt.api.memory.HostMemoryState.HIGH;
    }

    @Override
    public long reclaim(VmMemory vm, long pages) {
      return 0;
    }

    @Override
    public boolean releaseShared(VmMemory vm, long gppn, long entry, SharedFrameTaker taker) {
      for (long[] m : mappings) {
        FakeVm w = m[0] == 0 ? a : b;
        w.as(SHARER).set(m[1], P2mEntry.of(P2mEntry.SHARED, frame, 0));
        taker.take((int) m[0], m[1], frame);
      }
      mappings.clear();
      return true;
    }
  };

  private void setUp(Map<String, Object> settings) {
    host.attach(List.of(a, b));
    Map<String, Counter> hostCounters = new HashMap<>();
    swapper = new SwapReclaimerFactory().create(new FakeReclaimContext(new MapSettings(settings), host,
        List.of(a, b), new FakeClock(), 7, n -> hostCounters.computeIfAbsent(n, Counter::new), SWAP));
    for (FakeVm vm : List.of(a, b)) {
      vm.holder(SWAP, swapper, vm);
      vm.holder(SHARER, sharer, vm.as(SHARER));
    }
    frame = a.back(1, TOKEN);
    host.share(frame);
    a.as(SHARER).set(1, P2mEntry.of(P2mEntry.SHARED, frame, SHARER));
    for (long[] m : new long[][] {{0, 2}, {1, 1}}) {
      FakeVm w = m[0] == 0 ? a : b;
      host.addSharer(frame);
      w.as(SHARER).set(m[1], P2mEntry.of(P2mEntry.SHARED, frame, SHARER));
    }
    mappings.add(new long[] {0, 1});
    mappings.add(new long[] {0, 2});
    mappings.add(new long[] {1, 1});
  }

  @Test
  void theFrameGoesWholeWrittenOnceAndComesBackSharedReadOnce() {
    setUp(Map.of("shared", "true"));
    long free = host.freeFrames();
    assertThat(swapper.reclaim(a, 1)).isEqualTo(1);
    assertThat(host.freeFrames()).isEqualTo(free + 1);
    for (long[] m : new long[][] {{0, 1}, {0, 2}, {1, 1}}) {
      long e = (m[0] == 0 ? a : b).get(m[1]);
      assertThat(P2mEntry.state(e)).isEqualTo(P2mEntry.SWAPPED);
      assertThat(P2mEntry.owner(e)).isEqualTo(SWAP);
      assertThat(swapper.holds(m[0] == 0 ? a : b, m[1], e)).isTrue();
    }
    assertThat(a.count("pswpout")).isEqualTo(1);
    assertThat(a.count("swapped_shared") + b.count("swapped_shared")).isEqualTo(3);
    host.checkFrames();

    // b reads first: one read into a frame the others will find.
    long back = b.access(1, FaultCause.VCPU_READ);
    assertThat(host.content(back)).isEqualTo(TOKEN);
    assertThat(b.count("pswpin")).isEqualTo(1);
    assertThat(P2mEntry.state(b.get(1))).isEqualTo(P2mEntry.SHARED);
    // a's two pages map it shared, no read.
    assertThat(a.access(1, FaultCause.VCPU_READ)).isEqualTo(back);
    assertThat(a.access(2, FaultCause.VCPU_READ)).isEqualTo(back);
    assertThat(a.count("pswpin")).isZero();
    assertThat(a.count("swap_cache_hits")).isEqualTo(2);
    assertThat(host.sharers(back)).isEqualTo(3);
    host.checkFrames();

    // A write copies; the last page takes the frame itself.
    long copy = a.access(2, FaultCause.VCPU_WRITE);
    assertThat(copy).isNotEqualTo(back);
    assertThat(host.content(copy)).isEqualTo(TOKEN);
    assertThat(host.sharers(back)).isEqualTo(2);
    b.access(1, FaultCause.VCPU_WRITE);
    assertThat(a.access(1, FaultCause.VCPU_WRITE)).isEqualTo(back);
    assertThat(host.privateTo(back, 0, 1)).isTrue();
    assertThat(swapper.holds(a, 1, a.get(1))).isFalse();
    host.checkFrames();
  }

  @Test
  void writingFirstGivesThatPageItsOwnFrameAndTheOthersStillReadTheSlotOnce() {
    setUp(Map.of("shared", "true"));
    swapper.reclaim(a, 1);
    long own = a.access(2, FaultCause.VCPU_WRITE);
    assertThat(P2mEntry.state(a.get(2))).isEqualTo(P2mEntry.MAPPED);
    assertThat(host.content(own)).isEqualTo(TOKEN);
    assertThat(a.count("pswpin")).isEqualTo(1);
    long shared = a.access(1, FaultCause.VCPU_READ);
    assertThat(a.count("pswpin")).isEqualTo(2);
    assertThat(P2mEntry.state(a.get(1))).isEqualTo(P2mEntry.SHARED);
    assertThat(b.access(1, FaultCause.VCPU_READ)).isEqualTo(shared);
    assertThat(b.count("swap_cache_hits")).isEqualTo(1);
    // Given back to another technique: a private copy, or nothing.
    assertThat(b.requestRelease(1, true)).isTrue();
    assertThat(P2mEntry.state(b.get(1))).isEqualTo(P2mEntry.MAPPED);
    assertThat(a.requestRelease(1, false)).isTrue();
    assertThat(a.get(1)).isZero();
    host.checkFrames();
  }

  @Test
  void withoutSharedNoSharedPageIsAVictim() {
    setUp(Map.of());
    assertThat(swapper.reclaim(a, 8)).isZero();
    assertThat(P2mEntry.owner(a.get(1))).isEqualTo(SHARER);
    assertThat(a.count("pswpout")).isZero();
  }
}
