package org.memvirt.reclaim.balloon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.FaultCause;
import org.memvirt.testkit.MapSettings;

/** The host's side of the balloon: deflation by surplus, touched pages, VMs without a driver, fixed targets, settings. */
class BalloonTest {
  @Test
  void withFreeMemoryBackTheHostLowersTargetsByItsSurplusAndTheDriverDeflates() {
    Rig rig = new Rig(40_000, 10, Map.of());
    rig.balloon.reclaim(rig.vm, 20_000);
    rig.tick();
    rig.tick();
    assertThat(rig.size()).isEqualTo(20_000);
    rig.freeHost(20_000);
    // Surplus: 20010 free - 3001 (6% of 50010) = 17009.
    List<Long> targets = new ArrayList<>();
    List<Long> sizes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      rig.tick();
      targets.add(rig.vm.count(BalloonMetrics.TARGET.name()));
      sizes.add(rig.size());
    }
    assertThat(targets).containsExactly(2991L, 0L, 0L);
    assertThat(sizes).containsExactly(3616L, 0L, 0L);
    assertThat(rig.vm.count(BalloonMetrics.DEFLATED.name())).isEqualTo(20_000);
    assertThat(rig.vm.fakeGuest().freePages()).isEqualTo(40_000);
    assertThat(rig.vm.statePages(P2mEntry.UNBACKED)).isEqualTo(40_000);
  }

  @Test
  void aBalloonedPageTheGuestTouchesReadsAsZerosAndIsCounted() {
    Rig rig = new Rig(1000, 10, Map.of(), Map.of(), 0, 100);
    for (long g = 50; g < 100; g++) {
      rig.vm.fakeGuest().freePage(g);
    }
    long hostFree = rig.host.freeFrames();
    rig.balloon.reclaim(rig.vm, 50);
    rig.tick();
    assertThat(rig.size()).isEqualTo(50);
    assertThat(rig.host.freeFrames()).isEqualTo(hostFree + 50);
    assertThat(P2mEntry.state(rig.vm.get(60))).isEqualTo(P2mEntry.BALLOONED);
    long frame = rig.vm.access(60, FaultCause.VCPU_READ);
    assertThat(rig.host.content(frame)).isZero();
    assertThat(rig.vm.count(BalloonMetrics.TOUCHED.name())).isEqualTo(1);
    assertThat(rig.vm.statePages(P2mEntry.BALLOONED)).isEqualTo(49);
    assertThat(rig.size()).isEqualTo(50);
    // Deflated, the touched page keeps its frame; the others are unbacked again.
    rig.freeHost(5000);
    rig.tick();
    assertThat(rig.size()).isZero();
    assertThat(rig.vm.get(60)).isEqualTo(P2mEntry.mapped(frame));
    assertThat(rig.vm.statePages(P2mEntry.BALLOONED)).isZero();
    rig.host.checkFrames();
  }

  @Test
  void aVmWithoutADriverIsNeverBallooned() {
    Rig rig = new Rig(1000, 10, Map.of(), Map.of("balloon", "false"), 0, 0);
    assertThat(rig.balloon.reclaim(rig.vm, 500)).isZero();
    assertThat(rig.balloon.pending(rig.vm)).isZero();
    rig.tick();
    assertThat(rig.vm.fakeGuest().pinnedPages()).isZero();
  }

  @Test
  void balloonToSetsTheBalloonFromTheStartWithinTheCap() {
    Rig rig = new Rig(65_536, 10, Map.of(), Map.of("balloon_to", "160MiB"), 0, 0);
    rig.tick();
    rig.tick();
    assertThat(rig.size()).isEqualTo(65_536 - 40_960);
    assertThat(rig.vm.count(BalloonMetrics.TARGET.name())).isEqualTo(24_576);
    // Surplus never deflates it below that.
    rig.freeHost(20_000);
    rig.tick();
    assertThat(rig.size()).isEqualTo(24_576);

    assertThatThrownBy(() -> new Rig(65_536, 10, Map.of(), Map.of("balloon_to", "64MiB"), 0, 0))
        .hasMessageContaining("balloon_to").hasMessageContaining("65%");
    assertThatThrownBy(() -> new Rig(65_536, 10, Map.of(), Map.of("balloon_to", "128MiB", "balloon", "false"), 0, 0))
        .hasMessageContaining("balloon_to");
  }

  @Test
  void badSettingsNameTheirKey() {
    assertThatThrownBy(() -> BalloonSettings.read(new MapSettings(Map.of("cap", "1.5"))))
        .hasMessageStartingWith("cap: expected a fraction");
    assertThatThrownBy(() -> BalloonSettings.read(new MapSettings(Map.of("driver", "hyperv"))))
        .hasMessageStartingWith("driver: expected one of vmware, virtio");
    assertThatThrownBy(() -> BalloonSettings.read(new MapSettings(Map.of("period", "-1"))))
        .hasMessageStartingWith("period: expected a positive duration");
    assertThatThrownBy(() -> BalloonSettings.read(new MapSettings(Map.of("deflate_on_oom", "true"))))
        .hasMessageStartingWith("deflate_on_oom: expected driver: virtio");
    assertThatThrownBy(() -> BalloonSettings.read(new MapSettings(Map.of("driver", "virtio", "oom_pages", "0"))))
        .hasMessageStartingWith("oom_pages:");
  }

  /**
   * What a balloon promises and says: it holds a VM down to its memory less the cap, none
   * without a driver; it frees on its driver's time, and says where it stands: inflating, at
   * its cap, given nothing.
   */
  @Test
  void aBalloonSaysHowLowItCanHoldAVmAndWhyItFreedNothing() {
    Rig rig = new Rig(1000, 10, Map.of("cap", "0.5"));
    assertThat(rig.balloon.limitReach(rig.vm)).isEqualTo(new org.memvirt.api.reclaim.LimitReach(500,
        "a balloon holds at most 50% of a VM's memory (cap)"));
    assertThat(rig.balloon.limitReach(rig.filler)).isEqualTo(new org.memvirt.api.reclaim.LimitReach(11_000,
        "vm filler has no balloon driver (balloon: false)"));
    assertThat(rig.balloon.whyNothingFreed(rig.filler)).isEqualTo("vm filler has no balloon driver (balloon: false)");
    String prefix = "a balloon frees pages on its driver's time, never at once, and vm vm: ";
    assertThat(rig.balloon.whyNothingFreed(rig.vm)).isEqualTo(prefix + "its balloon holds 0 pages");
    assertThat(rig.balloon.reclaim(rig.vm, 100)).isZero();
    assertThat(rig.balloon.whyNothingFreed(rig.vm)).isEqualTo(prefix + "its balloon is inflating (100 pages to go)");
    rig.balloon.reclaim(rig.vm, 10_000);
    for (int i = 0; i < 50 && rig.size() < 500; i++) {
      rig.tick();
    }
    assertThat(rig.size()).isEqualTo(500);
    assertThat(rig.balloon.whyNothingFreed(rig.vm)).isEqualTo(prefix + "its balloon is at its cap (500 pages)");
  }
}
