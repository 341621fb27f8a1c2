package org.memvirt.reclaim.balloon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** virtio-balloon's worker: requests of 256 pages, re-queued until the target is met, a back-off on failure. */
class VirtioDriverTest {
  private static final Map<String, Object> VIRTIO = Map.of("driver", "virtio");

  @Test
  void itFillsTheBalloonIn256PageRequestsInOneWakeUp() {
    Rig rig = new Rig(40_000, 10, VIRTIO);
    assertThat(rig.balloon.periodNanos()).isEqualTo(200_000_000L);
    rig.balloon.reclaim(rig.vm, 1000);
    assertThat(rig.balloon.pending(rig.vm)).isEqualTo(1000);
    rig.tick();
    assertThat(rig.size()).isEqualTo(1000);
    assertThat(rig.vm.count(BalloonMetrics.REQUESTS.name())).isEqualTo(4);
    assertThat(rig.balloon.pending(rig.vm)).isZero();
  }

  @Test
  void outOfPuffItBacksOffAndTriesAgain() {
    Rig rig = new Rig(40_000, 10, VIRTIO);
    for (long g = 300; g < 40_000; g++) {
      rig.vm.fakeGuest().use(g);
    }
    rig.balloon.reclaim(rig.vm, 1000);
    rig.tick(); // 200 ms: 256, then 44 and out of puff
    assertThat(rig.size()).isEqualTo(300);
    assertThat(rig.vm.count(BalloonMetrics.REQUESTS.name())).isEqualTo(2);
    assertThat(rig.vm.count(BalloonMetrics.GUEST_REFUSED.name())).isEqualTo(1);
    for (long g = 5000; g < 5100; g++) {
      rig.vm.fakeGuest().freePage(g);
    }
    rig.tick(); // 400 ms: the back-off is over
    assertThat(rig.size()).isEqualTo(400);
    assertThat(rig.vm.count(BalloonMetrics.REQUESTS.name())).isEqualTo(3);
    rig.tick(); // 600 ms: nothing to be had; the host stops counting on it
    assertThat(rig.size()).isEqualTo(400);
    assertThat(rig.balloon.pending(rig.vm)).isZero();
  }

  @Test
  void deflateOnOomGivesBack256PagesAndTheWorkerWaitsForANewTarget() {
    Rig rig = new Rig(40_000, 10, Map.of("driver", "virtio", "deflate_on_oom", "true"));
    rig.balloon.reclaim(rig.vm, 1000);
    rig.tick();
    long free = rig.vm.fakeGuest().freePages();
    assertThat(rig.vm.fakeGuest().outOfMemory(1)).isEqualTo(256);
    assertThat(rig.size()).isEqualTo(744);
    assertThat(rig.vm.count(BalloonMetrics.OOM_DEFLATED.name())).isEqualTo(256);
    assertThat(rig.vm.fakeGuest().freePages()).isEqualTo(free + 256);
    for (int i = 0; i < 10; i++) {
      rig.tick();
    }
    assertThat(rig.size()).isEqualTo(744);
    rig.balloon.reclaim(rig.vm, 300);
    rig.tick();
    assertThat(rig.size()).isEqualTo(1044);

    Rig off = new Rig(40_000, 10, VIRTIO);
    off.balloon.reclaim(off.vm, 1000);
    off.tick();
    assertThat(off.vm.fakeGuest().outOfMemory(1)).isZero();
    assertThat(off.size()).isEqualTo(1000);
  }

  @Test
  void freePageReportingDropsTheFramesOfPagesStillFreeAtThePass() {
    Rig rig = new Rig(1000, 10, Map.of("driver", "virtio", "free_page_reporting", "true"), Map.of(), 0, 100);
    long hostFree = rig.host.freeFrames();
    for (long g = 10; g < 30; g++) {
      rig.vm.fakeGuest().freePage(g);
    }
    rig.vm.fakeGuest().use(15); // allocated again before the pass
    // The first tick (0.2 s) sees pages noted and schedules the pass 2 s later.
    for (int i = 0; i < 10; i++) {
      rig.tick(); // up to 2 s: no pass yet
    }
    assertThat(rig.vm.count(BalloonMetrics.REPORTED.name())).isZero();
    rig.tick(); // 2.2 s
    assertThat(rig.vm.count(BalloonMetrics.REPORTED.name())).isEqualTo(19);
    assertThat(rig.host.freeFrames()).isEqualTo(hostFree + 19);
    assertThat(rig.vm.backedPages()).isEqualTo(81);
    assertThat(org.memvirt.api.memory.P2mEntry.readable(rig.vm.get(15))).isTrue();
    assertThat(rig.vm.get(20)).isZero();
    assertThat(rig.size()).isZero();
    // Each page is reported once.
    for (int i = 0; i < 10; i++) {
      rig.tick();
    }
    assertThat(rig.vm.count(BalloonMetrics.REPORTED.name())).isEqualTo(19);
  }
}
