package org.memvirt.reclaim.swap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memvirt.api.Counter;
import org.memvirt.api.memory.Content;
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
    vm.back(5, 0xabcL);
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

  private static final Map<FakeVm, FakeHostMemory> HOSTS = new java.util.IdentityHashMap<>();

  private static FakeHostMemory hostOf(FakeVm vm) {
    return HOSTS.get(vm);
  }

  /** A swapper with {@code settings} on a fresh host and VM of its own. */
  private static FakeVm machine(Map<String, Object> settings, Reclaimer[] made) {
    FakeHostMemory host = new FakeHostMemory(128);
    FakeVm vm = new FakeVm(0, "vm", 64, 0, 64, 1000, OWNER, host);
    host.attach(List.of(vm));
    made[0] = new SwapReclaimerFactory().create(new FakeReclaimContext(new MapSettings(settings), host,
        List.of(vm), new FakeClock(), 7, n -> new Counter(n), OWNER));
    vm.holder(OWNER, made[0], vm);
    HOSTS.put(vm, host);
    return vm;
  }

  @Test
  void falseAndStaleReadsAndNoneWithTheMapper() {
    for (boolean mapper : new boolean[] {false, true}) {
      Reclaimer[] r = new Reclaimer[1];
      FakeVm v = machine(Map.of("mapper", Boolean.toString(mapper), "victims", "clock"), r);
      v.back(1, 0x11L);
      v.back(2, 0x22L);
      r[0].reclaim(v, 2);
      // The guest zero-fills page 1 and swaps page 2 in from its own device: both overwrite.
      v.access(1, FaultCause.GUEST_OVERWRITE);
      v.access(2, FaultCause.GUEST_SWAP_IN);
      assertThat(v.count("false_swap_reads")).as("mapper " + mapper).isEqualTo(mapper ? 0 : 1);
      assertThat(v.count("stale_swap_reads")).as("mapper " + mapper).isEqualTo(mapper ? 0 : 1);
      assertThat(v.count("swap_reads_avoided")).as("mapper " + mapper).isEqualTo(mapper ? 2 : 0);
      assertThat(v.count("pswpin")).as("mapper " + mapper).isEqualTo(mapper ? 0 : 2);
    }
  }

  @Test
  void aSilentWriteAndNoneWithTheMapper() {
    for (boolean mapper : new boolean[] {false, true}) {
      Reclaimer[] r = new Reclaimer[1];
      FakeVm v = machine(Map.of("mapper", Boolean.toString(mapper)), r);
      v.back(4, 0x44L);
      // The guest writes page 4 to its own swap device and frees it.
      r[0].guestPageOperation(v, 4, FaultCause.GUEST_IO);
      v.fakeGuest().freePage(4);
      long free = v.backedPages();
      assertThat(r[0].reclaim(v, 1)).isEqualTo(1);
      assertThat(v.backedPages()).isEqualTo(free - 1);
      assertThat(v.count("silent_swap_writes")).as("mapper " + mapper).isEqualTo(mapper ? 0 : 1);
      assertThat(v.count("swap_writes_avoided")).as("mapper " + mapper).isEqualTo(mapper ? 1 : 0);
      assertThat(v.count("pswpout")).as("mapper " + mapper).isEqualTo(mapper ? 0 : 1);
      // Its next use overwrites it whole: with the mapper it gets a fresh frame; without, the
      // host reads it back first (a false read too).
      v.access(4, FaultCause.GUEST_OVERWRITE);
      assertThat(v.count("pswpin")).isEqualTo(mapper ? 0 : 1);
    }
  }

  @Test
  void anOverwriteForgetsThatTheGuestsDiskHadThePage() {
    Reclaimer[] r = new Reclaimer[1];
    FakeVm v = machine(Map.of("mapper", "true"), r);
    v.back(4, 0x44L);
    r[0].guestPageOperation(v, 4, FaultCause.GUEST_IO);
    // Reused: zero-filled and written again; its content is live now and must be written out.
    r[0].guestPageOperation(v, 4, FaultCause.GUEST_OVERWRITE);
    r[0].reclaim(v, 1);
    assertThat(v.count("pswpout")).isEqualTo(1);
    assertThat(v.count("swap_writes_avoided")).isZero();
  }

  @Test
  void pagesThatCompressToHalfAPageGoToTheCacheTwoToAFrame() {
    Reclaimer[] r = new Reclaimer[1];
    FakeVm v = machine(Map.of("compression", "true", "victims", "clock"), r);
    long quarter = Content.withCompressedSize(0x1234L, 0.25);
    v.back(0, quarter);
    v.back(1, quarter + 1);
    v.back(2, Content.withCompressedSize(0x99L, 0.75));
    // Pages 0 and 1 share one cache frame (one frame freed net); page 2 does not compress
    // well enough and goes to the device.
    assertThat(r[0].reclaim(v, 3)).isEqualTo(2);
    assertThat(P2mEntry.state(v.get(0))).isEqualTo(P2mEntry.COMPRESSED);
    assertThat(P2mEntry.state(v.get(1))).isEqualTo(P2mEntry.COMPRESSED);
    assertThat(P2mEntry.state(v.get(2))).isEqualTo(P2mEntry.SWAPPED);
    assertThat(v.count("zip_cache_frames")).isEqualTo(1);
    assertThat(v.count("zip_saved")).isEqualTo(1);
    assertThat(v.count("pswpout")).isEqualTo(1);
    FakeHostMemory host = hostOf(v);
    assertThat(host.heldFrames()).isEqualTo(1);
    assertThat(host.content(v.access(0, FaultCause.VCPU_READ))).isEqualTo(quarter);
    assertThat(v.count("decompressions")).isEqualTo(1);
    assertThat(v.count("pswpin")).isZero();
    assertThat(v.count("zip_cache_frames")).isEqualTo(1);
    assertThat(host.content(v.access(1, FaultCause.VCPU_WRITE))).isEqualTo(quarter + 1);
    // Both halves free: the cache frame goes back to the host.
    assertThat(v.count("zip_cache_frames")).isZero();
    assertThat(host.heldFrames()).isZero();
    host.checkFrames();
  }

  @Test
  void theCacheHoldsAtMostItsShareOfTheVm() {
    Reclaimer[] r = new Reclaimer[1];
    // 64 pages at 10%: 6 cache frames, 12 compressed pages; the rest go to the device.
    FakeVm v = machine(Map.of("compression", "true"), r);
    for (long g = 0; g < 20; g++) {
      v.back(g, Content.withCompressedSize(0x500 + g, 0.5));
    }
    r[0].reclaim(v, 100);
    assertThat(v.statePages(P2mEntry.COMPRESSED)).isEqualTo(12);
    assertThat(v.statePages(P2mEntry.SWAPPED)).isEqualTo(8);
    assertThat(v.count("zip_cache_frames")).isEqualTo(6);
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
        .hasMessageStartingWith("size: expected a device per VM of at least memory - min, 256KiB for vm vm");
  }

  /**
   * A VM held below its limit (by a policy, or the host's pressure) while its guest touches
   * all its memory: every page above the reservation can be on the device at once, so the
   * device holds memory − min (ESX's .vswp size), not max − min.
   */
  @Test
  void theDeviceHoldsEveryPageAboveTheReservationWhateverTheLimit() {
    FakeHostMemory small = new FakeHostMemory(128);
    FakeVm squeezed = new FakeVm(0, "squeezed", 64, 8, 32, 1000, OWNER, small);
    small.attach(List.of(squeezed));
    Reclaimer r = new SwapReclaimerFactory().create(new FakeReclaimContext(new MapSettings(Map.of()), small,
        List.of(squeezed), new FakeClock(), 7, Counter::new, OWNER));
    squeezed.holder(OWNER, r, squeezed);
    for (long g = 0; g < 64; g++) {
      squeezed.back(g, 0x100 + g);
      if (squeezed.backedPages() > 8) {
        assertThat(r.reclaim(squeezed, 1)).as("page " + g).isEqualTo(1);
      }
    }
    assertThat(squeezed.backedPages()).isEqualTo(8);
    assertThat(squeezed.count("pswpout")).isEqualTo(56);
    assertThat(squeezed.count("swap_device_full")).isZero();
    small.checkFrames();
  }

  /** Host swapping holds a VM down to its reservation, at once. */
  @Test
  void itReachesTheReservation() {
    FakeHostMemory small = new FakeHostMemory(128);
    FakeVm reserved = new FakeVm(0, "r", 64, 4, 64, 1000, OWNER, small);
    small.attach(List.of(reserved));
    Reclaimer r = new SwapReclaimerFactory().create(new FakeReclaimContext(new MapSettings(Map.of()), small,
        List.of(reserved), new FakeClock(), 7, Counter::new, OWNER));
    assertThat(r.limitReach(reserved)).isEqualTo(new org.memvirt.api.reclaim.LimitReach(4, null));
  }

  /**
   * A device of memory - min never fills (every swapped page is one the VM does not back, and
   * none goes below the reservation); with nothing above its reservation, the swapper says so.
   */
  @Test
  void theDeviceNeverFillsAndAtTheReservationItSaysSo() {
    FakeHostMemory small = new FakeHostMemory(128);
    FakeVm v = new FakeVm(0, "full", 8, 0, 8, 1000, OWNER, small);
    small.attach(List.of(v));
    Reclaimer r = new SwapReclaimerFactory().create(new FakeReclaimContext(new MapSettings(Map.of()), small,
        List.of(v), new FakeClock(), 7, Counter::new, OWNER));
    v.holder(OWNER, r, v);
    for (long g = 0; g < 8; g++) {
      v.back(g, 0x700 + g);
    }
    // The device holds memory - min = 8 pages: all of them go, and the VM is then at its reservation.
    assertThat(r.reclaim(v, 8)).isEqualTo(8);
    assertThat(r.whyNothingFreed(v)).isEqualTo("vm full is at its reservation (min, 0 pages)");
    assertThat(r.reclaim(v, 1)).isZero();
    // Page 0 back in; a new page takes its slot: the device never holds more than its slots.
    v.access(0, FaultCause.VCPU_WRITE);
    assertThat(r.whyNothingFreed(v)).isEqualTo("no page of vm full could be taken (each busy with a fault, or pinned)");
    assertThat(r.reclaim(v, 1)).isEqualTo(1);
    assertThat(v.count("pswpout")).isEqualTo(9);
    assertThat(v.count("swap_device_full")).isZero();
    small.checkFrames();
  }

  /** Given back to another technique: with its content (read back), or dropped (its slot freed for the next). */
  @Test
  void aReleasedPageKeepsItsContentOrFreesItsSlot() {
    swapper(Map.of());
    vm.back(1, 0x111L);
    vm.back(2, 0x222L);
    assertThat(swapper.reclaim(vm, 2)).isEqualTo(2);
    long one = vm.get(1);
    long two = vm.get(2);
    assertThat(swapper.holds(vm, 1, one)).isTrue();
    assertThat(swapper.holds(vm, 2, one)).as("another page's slot").isFalse();
    assertThat(swapper.holds(vm, 1, P2mEntry.mapped(5))).isFalse();
    assertThat(swapper.release(vm, 1, one, true)).isTrue();
    assertThat(P2mEntry.state(vm.get(1))).isEqualTo(P2mEntry.MAPPED);
    assertThat(host.content(P2mEntry.value(vm.get(1)))).isEqualTo(0x111L);
    assertThat(swapper.release(vm, 2, two, false)).isTrue();
    assertThat(vm.get(2)).isZero();
    assertThat(swapper.holds(vm, 2, two)).as("a freed slot holds nothing").isFalse();
    // The freed slot is the next one written.
    vm.back(3, 0x333L);
    assertThat(swapper.reclaim(vm, 1)).isEqualTo(1);
    assertThat(P2mEntry.value(vm.get(3))).isEqualTo(P2mEntry.value(two));
    host.checkFrames();
  }

  /** Many pages: the device's arrays grow past their first size and keep every page's content. */
  @Test
  void aLargeDeviceKeepsEveryPage() {
    FakeHostMemory big = new FakeHostMemory(2048);
    FakeVm v = new FakeVm(0, "big", 1024, 0, 1024, 1000, OWNER, big);
    big.attach(List.of(v));
    Reclaimer r = new SwapReclaimerFactory().create(new FakeReclaimContext(new MapSettings(Map.of("victims", "clock")),
        big, List.of(v), new FakeClock(), 7, Counter::new, OWNER));
    v.holder(OWNER, r, v);
    for (long g = 0; g < 1000; g++) {
      v.back(g, 0x10000 + g);
    }
    assertThat(r.reclaim(v, 1000)).isEqualTo(1000);
    for (long g = 0; g < 1000; g += 7) {
      assertThat(big.content(v.access(g, FaultCause.VCPU_READ))).isEqualTo(0x10000 + g);
    }
    big.checkFrames();
  }

  @Test
  void theFactoryDocumentsItsCostsSettingsAndMetrics() {
    SwapReclaimerFactory f = new SwapReclaimerFactory();
    assertThat(f.costs()).extracting(org.memvirt.api.mmu.CostEntry::counter).contains("pswpin_ssd", "pswpin_disk");
    assertThat(f.settings()).extracting(org.memvirt.api.SettingInfo::key).contains("device", "size", "victims",
        "compression");
    assertThat(f.metrics()).extracting(org.memvirt.api.MetricInfo::name).contains("pswpout", "swap_device_full");
  }

  /** A size of exactly memory - min is enough; one page less is not. */
  @Test
  void theSmallestDeviceIsMemoryLessTheReservation() {
    FakeHostMemory small = new FakeHostMemory(128);
    FakeVm v = new FakeVm(0, "v", 64, 16, 32, 1000, OWNER, small);
    small.attach(List.of(v));
    assertThat(new SwapReclaimerFactory().create(new FakeReclaimContext(new MapSettings(Map.of("size", "192KiB")),
        small, List.of(v), new FakeClock(), 7, Counter::new, OWNER))).isNotNull();
    assertThatThrownBy(() -> new SwapReclaimerFactory().create(new FakeReclaimContext(new MapSettings(
        Map.of("size", "188KiB")), small, List.of(v), new FakeClock(), 7, Counter::new, OWNER)))
        .hasMessageStartingWith("size: expected a device per VM of at least memory - min, 192KiB for vm v");
  }
}
