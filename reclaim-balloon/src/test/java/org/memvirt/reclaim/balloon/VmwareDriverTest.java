package org.memvirt.reclaim.balloon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** vmw_balloon's pace, page for page: the rates of drivers/misc/vmw_balloon.c. */
class VmwareDriverTest {
  /** Balloon sizes after each of {@code cycles} wake-ups. */
  private static List<Long> sizes(Rig rig, int cycles) {
    List<Long> sizes = new ArrayList<>();
    for (int i = 0; i < cycles; i++) {
      rig.tick();
      sizes.add(rig.size());
    }
    return sizes;
  }

  @Test
  void withFreePagesItTakesUpTo16384ACycle() {
    Rig rig = new Rig(40_000, 10, Map.of());
    rig.balloon.reclaim(rig.vm, 20_000);
    assertThat(rig.vm.count(BalloonMetrics.TARGET.name())).isEqualTo(20_000);
    assertThat(sizes(rig, 3)).containsExactly(16_384L, 20_000L, 20_000L);
    assertThat(rig.vm.count(BalloonMetrics.FROM_FREE.name())).isEqualTo(20_000);
    assertThat(rig.vm.fakeGuest().pinnedPages()).isEqualTo(20_000);
  }

  @Test
  void withoutFreePagesItMakesTheGuestSwapAtRateAllocInSlowMode() {
    Rig rig = new Rig(40_000, 10, Map.of());
    for (long g = 1000; g < 40_000; g++) {
      rig.vm.fakeGuest().use(g);
    }
    rig.vm.fakeGuest().swapUpTo(100_000);
    rig.balloon.reclaim(rig.vm, 8000);
    // Cycle 1: the 1000 free pages without reclaim, then (slow mode) reclaiming up to
    // rate_alloc = 2048 in all; later cycles, still slow: 2048 each, all swapped.
    assertThat(sizes(rig, 5)).containsExactly(2048L, 4096L, 6144L, 8000L, 8000L);
    assertThat(rig.vm.count(BalloonMetrics.FROM_FREE.name())).isEqualTo(1000);
    assertThat(rig.vm.count(BalloonMetrics.FROM_SWAP.name())).isEqualTo(7000);
    assertThat(rig.vm.fakeGuest().swappedOut()).isEqualTo(7000);
  }

  @Test
  void aRefusedReclaimingAllocationHalvesTheRateDownTo512() {
    Rig rig = new Rig(40_000, 10, Map.of());
    for (long g = 1000; g < 40_000; g++) {
      rig.vm.fakeGuest().use(g);
    }
    rig.vm.fakeGuest().swapUpTo(500);
    rig.balloon.reclaim(rig.vm, 8000);
    VmwareDriver driver = (VmwareDriver) rig.balloon.driver(0);
    rig.tick();
    assertThat(rig.size()).isEqualTo(1500);
    assertThat(driver.rateAlloc).isEqualTo(1024);
    assertThat(driver.slowCycles).isEqualTo(VmwareDriver.SLOW_CYCLES);
    rig.tick();
    assertThat(driver.rateAlloc).isEqualTo(512);
    rig.tick();
    assertThat(driver.rateAlloc).isEqualTo(512);
    // Stuck: the host no longer counts on it (and swaps instead).
    assertThat(rig.balloon.pending(rig.vm)).isZero();
    // Memory frees up in the guest: a clean cycle of 600 in slow mode (rate 512) takes
    // 512, and 512 >= rate_alloc raises it by 16.
    for (long g = 5000; g < 5600; g++) {
      rig.vm.fakeGuest().freePage(g);
    }
    rig.tick();
    assertThat(rig.size()).isEqualTo(2012);
    assertThat(driver.rateAlloc).isEqualTo(528);
    assertThat(rig.balloon.pending(rig.vm)).isEqualTo(8000 - 2012);
  }

  @Test
  void theTargetStopsAtTheCap() {
    Rig rig = new Rig(1000, 10, Map.of());
    rig.balloon.reclaim(rig.vm, 900);
    assertThat(rig.vm.count(BalloonMetrics.TARGET.name())).isEqualTo(650);
    sizes(rig, 2);
    assertThat(rig.size()).isEqualTo(650);
    rig.balloon.reclaim(rig.vm, 100);
    assertThat(rig.balloon.pending(rig.vm)).isZero();

    Rig half = new Rig(1000, 10, Map.of("cap", "0.5"));
    half.balloon.reclaim(half.vm, 900);
    half.tick();
    assertThat(half.size()).isEqualTo(500);
  }

  @Test
  void pagesTheHostCannotTakeGoBackAndSixteenRefusalsEndTheCycle() {
    // All 200 pages backed, at the VM's reservation of 200; the guest frees 50 of them.
    Rig rig = new Rig(200, 10, Map.of(), Map.of(), 200, 200);
    for (long g = 150; g < 200; g++) {
      rig.vm.fakeGuest().freePage(g);
    }
    rig.balloon.reclaim(rig.vm, 40);
    rig.tick();
    assertThat(rig.size()).isZero();
    assertThat(rig.vm.count(BalloonMetrics.HOST_REFUSED.name())).isEqualTo(VmwareDriver.MAX_REFUSED + 1);
    assertThat(rig.vm.fakeGuest().pinnedPages()).isZero();
    assertThat(rig.vm.fakeGuest().freePages()).isEqualTo(50);
    assertThat(rig.vm.backedPages()).isEqualTo(200);
    assertThat(rig.balloon.pending(rig.vm)).isZero();
  }
}
