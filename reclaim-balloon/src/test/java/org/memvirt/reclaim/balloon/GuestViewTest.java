package org.memvirt.reclaim.balloon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memvirt.api.reclaim.FaultCause;

/**
 * virtio-balloon as a real guest shows it (a Linux 6.1 QEMU guest of 512 MiB, measured):
 * MemTotal falls as the balloon inflates unless deflate-on-oom was negotiated; free page
 * reporting gives freed memory back to the host 2 to 3 s after the guest frees it, and
 * nothing without it; inflating steps the guest's size down with host memory following;
 * deflating raises no host memory until the guest touches its pages again.
 */
class GuestViewTest {
  private static final int PAGES = 131_072; // 512 MiB
  private static final int MIB = 256;

  /** A 512 MiB guest, all of it backed, with virtio and {@code extra}; its pages free in the guest unless it {@code uses} them. */
  private static Rig guest(Map<String, Object> extra, Map<String, Object> vm, boolean uses) {
    Map<String, Object> s = new HashMap<>(Map.of("driver", "virtio"));
    s.putAll(extra);
    Rig rig = new Rig(PAGES, 10, s, vm, 0, PAGES);
    for (long g = 0; g < PAGES && !uses; g++) {
      rig.vm.fakeGuest().freePage(g); // the memory a booted guest has free (and backed: it was touched)
    }
    return rig;
  }

  private static Rig guest(Map<String, Object> extra, Map<String, Object> vm) {
    return guest(extra, vm, false);
  }

  private static long memTotal(Rig rig) {
    return rig.vm.count(BalloonMetrics.GUEST_MEM_TOTAL.name());
  }

  @Test
  void withoutDeflateOnOomMemTotalFallsAsTheBalloonInflates() {
    Rig rig = guest(Map.of(), Map.of("balloon_to", "192MiB"));
    assertThat(memTotal(rig)).isEqualTo(PAGES);
    rig.tick();
    assertThat(rig.size()).isEqualTo(320 * MIB);
    assertThat(memTotal(rig)).isEqualTo(192 * MIB); // measured: 455 -> 135 MiB, 320 MiB less
    assertThat(rig.vm.fakeGuest().freePages()).isEqualTo(192 * MIB);
  }

  @Test
  void withDeflateOnOomMemTotalStaysAndOnlyMemFreeFalls() {
    Rig rig = guest(Map.of("deflate_on_oom", "true"), Map.of("balloon_to", "192MiB"));
    rig.tick();
    assertThat(rig.size()).isEqualTo(320 * MIB);
    assertThat(memTotal(rig)).isEqualTo(PAGES);
    assertThat(rig.vm.fakeGuest().freePages()).isEqualTo(192 * MIB); // measured: 427 -> 107 MiB
    // The guest's out-of-memory notifier leaks oom_pages: they count as free again, MemTotal still stays.
    assertThat(rig.vm.fakeGuest().outOfMemory(1)).isEqualTo(256);
    assertThat(memTotal(rig)).isEqualTo(PAGES);
    assertThat(rig.vm.fakeGuest().freePages()).isEqualTo(192 * MIB + 256);
  }

  @Test
  void vmwBalloonLeavesMemTotal() {
    Rig rig = new Rig(PAGES, 10, Map.of(), Map.of("balloon_to", "192MiB"), 0, PAGES);
    for (long g = 0; g < PAGES; g++) {
      rig.vm.fakeGuest().freePage(g);
    }
    for (int i = 0; i < 30 && rig.size() < 320 * MIB; i++) {
      rig.tick();
    }
    assertThat(rig.size()).isEqualTo(320 * MIB);
    assertThat(memTotal(rig)).isEqualTo(PAGES);
  }

  /** The guest frees 256 MiB at 0 s: with reporting the host has it back at 2.2 s (a pass 2 s after the first tick that saw it). */
  @Test
  void freePageReportingGivesFreedMemoryBackTwoToThreeSecondsLater() {
    for (boolean reporting : new boolean[] {true, false}) {
      Rig rig = guest(Map.of("free_page_reporting", String.valueOf(reporting)), Map.of(), true);
      long hostFree = rig.host.freeFrames();
      for (long g = 0; g < 256 * MIB; g++) {
        rig.vm.fakeGuest().freePage(g);
      }
      List<Long> freed = new ArrayList<>();
      for (int tick = 1; tick <= 20; tick++) { // 0.2 s each, to 4 s
        rig.tick();
        freed.add(rig.host.freeFrames() - hostFree);
      }
      if (reporting) {
        assertThat(freed.subList(0, 10)).containsOnly(0L); // to 2.0 s
        assertThat(freed.subList(10, 20)).containsOnly(256L * MIB); // from 2.2 s
        assertThat(rig.vm.count(BalloonMetrics.REPORTED.name())).isEqualTo(256 * MIB);
      } else {
        assertThat(freed).containsOnly(0L);
      }
      assertThat(memTotal(rig)).isEqualTo(PAGES);
      rig.host.checkFrames();
    }
  }

  /**
   * With 10 ms per request (as the emulated guest took), a 200 ms tick holds 20 requests of
   * 256 pages: 320 MiB goes in 16 steps of 20 MiB, and the host gets each step's frames back
   * at that step.
   */
  @Test
  void inflatingStepsTheGuestsSizeAndHostMemoryFollows() {
    Rig rig = guest(Map.of("request_time", "10000000"), Map.of("balloon_to", "192MiB"));
    long hostFree = rig.host.freeFrames();
    List<Long> sizes = new ArrayList<>();
    for (int tick = 1; tick <= 17; tick++) {
      rig.tick();
      long reported = PAGES - rig.size(); // QEMU's `info balloon`: actual = ram - balloon
      sizes.add(reported / MIB);
      assertThat(rig.host.freeFrames() - hostFree).isEqualTo(rig.size());
      assertThat(rig.vm.backedPages()).isEqualTo(reported);
    }
    List<Long> expected = new ArrayList<>();
    for (long s = 492; s > 192; s -= 20) {
      expected.add(s);
    }
    expected.add(192L);
    expected.add(192L);
    assertThat(sizes).containsExactlyElementsOf(expected);
    assertThat(rig.vm.count(BalloonMetrics.REQUESTS.name())).isEqualTo(320); // 1 MiB each
  }

  @Test
  void deflatingRaisesNoHostMemoryUntilTheGuestTouchesItsPages() {
    Rig rig = guest(Map.of(), Map.of());
    rig.balloon.reclaim(rig.vm, 64 * MIB);
    rig.tick();
    assertThat(rig.size()).isEqualTo(64 * MIB);
    long backed = rig.vm.backedPages();
    assertThat(backed).isEqualTo(PAGES - 64 * MIB);
    rig.freeHost(100_000); // the host has memory again: at its next review (1 s) the target comes down
    for (int i = 0; i < 10; i++) {
      rig.tick();
    }
    assertThat(rig.size()).isZero();
    assertThat(memTotal(rig)).isEqualTo(PAGES);
    assertThat(rig.vm.backedPages()).isEqualTo(backed);
    long touched = 0;
    for (long g = 0; g < PAGES && touched < 1000; g++) {
      if (!org.memvirt.api.memory.P2mEntry.readable(rig.vm.get(g))) {
        rig.vm.access(g, FaultCause.VCPU_WRITE);
        touched++;
      }
    }
    assertThat(rig.vm.backedPages()).isEqualTo(backed + 1000);
    rig.host.checkFrames();
  }
}
