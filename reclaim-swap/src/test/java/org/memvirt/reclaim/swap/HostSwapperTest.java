package org.memvirt.reclaim.swap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memvirt.api.Counter;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.FaultCause;
import org.memvirt.api.reclaim.Reclaimer;
import org.memvirt.testkit.FakeClock;
import org.memvirt.testkit.FakeHostMemory;
import org.memvirt.testkit.FakeReclaimContext;
import org.memvirt.testkit.FakeVm;
import org.memvirt.testkit.MapSettings;

/** Exact counts on hand-made scenarios: one VM of 64 pages on a host of 128 frames. */
class HostSwapperTest {
  private static final int OWNER = 1;
  private final FakeHostMemory host = new FakeHostMemory(128);
  private final FakeVm vm = new FakeVm(0, "vm", 64, 0, 64, 1000, OWNER, host);
  private Reclaimer swapper;

  private Reclaimer swapper(Map<String, Object> settings) {
    host.attach(List.of(vm));
    Map<String, Counter> hostCounters = new HashMap<>();
    swapper = new SwapReclaimerFactory().create(new FakeReclaimContext(new MapSettings(settings), host,
        List.of(vm), new FakeClock(), 7, n -> hostCounters.computeIfAbsent(n, Counter::new), OWNER));
    vm.holder(OWNER, swapper, vm);
    return swapper;
  }

  @Test
  void aPageSwappedOutAndTouchedAgainIsWrittenOnceAndReadOnce() {
    swapper(Map.of());
    long frame = vm.back(5, 0xabcL);
    long free = host.freeFrames();
    assertThat(swapper.reclaim(vm, 1)).isEqualTo(1);
    assertThat(host.freeFrames()).isEqualTo(free + 1);
    assertThat(P2mEntry.state(vm.get(5))).isEqualTo(P2mEntry.SWAPPED);
    assertThat(P2mEntry.owner(vm.get(5))).isEqualTo(OWNER);
    assertThat(vm.invalidations()).containsExactly(5L);
    assertThat(vm.count("pswpout")).isEqualTo(1);
    assertThat(vm.count("swapout_clusters")).isEqualTo(1);
    long back = vm.access(5, FaultCause.VCPU_READ);
    assertThat(host.content(back)).isEqualTo(0xabcL);
    assertThat(vm.count("pswpin")).isEqualTo(1);
    assertThat(vm.count("pswpin_ssd")).isEqualTo(1);
    assertThat(vm.count("pswpin_disk")).isZero();
    assertThat(frame).isNotNegative();
    host.checkFrames();
  }

  @Test
  void aZeroPageIsNeverWritten() {
    swapper(Map.of());
    vm.back(3, 0);
    assertThat(swapper.reclaim(vm, 1)).isEqualTo(1);
    assertThat(P2mEntry.state(vm.get(3))).isEqualTo(P2mEntry.ZERO);
    assertThat(vm.count("pswpout")).isZero();
    assertThat(vm.count("swap_zero_pages")).isEqualTo(1);
    assertThat(host.content(vm.access(3, FaultCause.VCPU_READ))).isZero();
    assertThat(vm.count("pswpin")).isZero();
  }

  @Test
  void withZeroPagesOffAZeroPageIsWrittenLikeAnyOther() {
    swapper(Map.of("zero_pages", "false"));
    vm.back(3, 0);
    swapper.reclaim(vm, 1);
    assertThat(P2mEntry.state(vm.get(3))).isEqualTo(P2mEntry.SWAPPED);
    assertThat(vm.count("pswpout")).isEqualTo(1);
  }

  @Test
  void doublePaging() {
    swapper(Map.of("device", "disk"));
    vm.back(9, 0x99L);
    swapper.reclaim(vm, 1);
    // The guest picks the page for its own swap device: the host reads it back to let it.
    assertThat(host.content(vm.access(9, FaultCause.GUEST_IO))).isEqualTo(0x99L);
    assertThat(vm.count("double_paging")).isEqualTo(1);
    assertThat(vm.count("pswpin_disk")).isEqualTo(1);
  }

  @Test
  void aFalseReadAndNoneWithTheFalseReadsPreventer() {
    swapper(Map.of());
    vm.back(1, 0x11L);
    swapper.reclaim(vm, 1);
    vm.access(1, FaultCause.GUEST_OVERWRITE);
    assertThat(vm.count("false_swap_reads")).isEqualTo(1);
    assertThat(vm.count("pswpin")).isEqualTo(1);

    FakeHostMemory host2 = new FakeHostMemory(128);
    FakeVm vm2 = new FakeVm(0, "vm", 64, 0, 64, 1000, OWNER, host2);
    host2.attach(List.of(vm2));
    Reclaimer fixed = new SwapReclaimerFactory().create(new FakeReclaimContext(
        new MapSettings(Map.of("prevent_false_reads", "true")), host2, List.of(vm2), new FakeClock(), 7,
        n -> new Counter(n), OWNER));
    vm2.holder(OWNER, fixed, vm2);
    vm2.back(1, 0x11L);
    fixed.reclaim(vm2, 1);
    long f = vm2.access(1, FaultCause.GUEST_OVERWRITE);
    assertThat(host2.content(f)).isZero();
    assertThat(vm2.count("false_reads_prevented")).isEqualTo(1);
    assertThat(vm2.count("false_swap_reads")).isZero();
    assertThat(vm2.count("pswpin")).isZero();
  }

  @Test
  void sequentialityDecaysWhenConsecutivePagesLandInScatteredSlots() {
    swapper(Map.of("victims", "clock"));
    for (long g = 0; g < 8; g++) {
      vm.back(g, 0x100 + g);
    }
    // CLOCK takes pages in guest order: slots follow pages, and reading them back in order
    // is sequential on the device too.
    assertThat(swapper.reclaim(vm, 8)).isEqualTo(8);
    for (long g = 0; g < 8; g++) {
      vm.access(g, FaultCause.VCPU_READ);
    }
    assertThat(vm.count("swapin_sequential")).isEqualTo(7);
    assertThat(vm.count("swapin_sequential_slots")).isEqualTo(7);
  }

  @Test
  void theReservationIsKept() {
    FakeVm reserved = new FakeVm(0, "vm", 64, 4, 64, 1000, OWNER, host);
    host.attach(List.of(reserved));
    Reclaimer r = new SwapReclaimerFactory().create(new FakeReclaimContext(new MapSettings(Map.of()), host,
        List.of(reserved), new FakeClock(), 7, n -> new Counter(n), OWNER));
    for (long g = 0; g < 6; g++) {
      reserved.back(g, g + 1);
    }
    assertThat(r.reclaim(reserved, 100)).isEqualTo(2);
    assertThat(reserved.backedPages()).isEqualTo(4);
  }

  @Test
  void badSettingsNameTheKey() {
    assertThatThrownBy(() -> swapper(Map.of("victims", "lru")))
        .hasMessage("victims: expected one of random, clock, got 'lru'");
    assertThatThrownBy(() -> swapper(Map.of("size", "-4096")))
        .hasMessageStartingWith("size: expected a device size per VM, 0 or more");
    assertThatThrownBy(() -> swapper(Map.of("size", "128KiB")))
        .hasMessageStartingWith("size: expected a device per VM of at least max - min, 256KiB for vm vm");
  }
}
