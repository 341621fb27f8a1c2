package org.memvirt.policy.shares;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memvirt.api.policy.AllocationPolicy;
import org.memvirt.api.reclaim.VmMemory;
import org.memvirt.testkit.FakeHostMemory;
import org.memvirt.testkit.FakePolicyContext;
import org.memvirt.testkit.FakeVm;
import org.memvirt.testkit.MapSettings;

/**
 * The shares policy's timing: its periods, and targets recomputed early, at a sample, when
 * free memory has moved by more than {@code free_change} of the host since the last time.
 */
class SharesPolicyTest {
  private static final int FRAMES = 3_200;
  private final FakeHostMemory host = new FakeHostMemory(FRAMES);
  private final FakeVm a = new FakeVm(0, "a", 2_000, 0, 2_000, 1000, -1, host);
  private final FakeVm b = new FakeVm(1, "b", 2_000, 0, 2_000, 1000, -1, host);

  private AllocationPolicy policy(Map<String, Object> settings) {
    host.attach(List.of(a, b));
    return new SharesPolicyFactory().create(new FakePolicyContext(new MapSettings(settings), host,
        List.<VmMemory>of(a, b), () -> 0, 5));
  }

  private void backPages(FakeVm vm, int from, int count) {
    for (int g = from; g < from + count; g++) {
      vm.back(g, g + 1);
    }
  }

  @Test
  void itsPeriodsAreTheSettings() {
    AllocationPolicy p = policy(Map.of("period", "20000000000", "sample", Map.of("period", "10000000000")));
    assertThat(p.periodNanos()).isEqualTo(20_000_000_000L);
    assertThat(p.samplePeriodNanos()).isEqualTo(10_000_000_000L);
    AllocationPolicy defaults = new SharesPolicyFactory().create(new FakePolicyContext(new MapSettings(Map.of()),
        host, List.<VmMemory>of(a, b), () -> 0, 5));
    // ESX 2.x: Mem.BalancePeriod 15 s, Mem.SamplePeriod 30 s.
    assertThat(defaults.periodNanos()).isEqualTo(15_000_000_000L);
    assertThat(defaults.samplePeriodNanos()).isEqualTo(30_000_000_000L);
  }

  @Test
  void aSampleReallocatesOnlyAfterFreeMemoryMovedMoreThanTheChange() {
    AllocationPolicy p = policy(Map.of());
    // No allocation yet: a sample never allocates first.
    a.setTargetPages(1);
    backPages(a, 0, 500);
    p.sample(1);
    assertThat(a.targetPages()).isEqualTo(1);
    p.allocate(2);
    assertThat(a.targetPages()).isGreaterThan(1);
    a.setTargetPages(1);
    b.setTargetPages(1);
    // 1/32 of 3,200 frames is 100: moving by exactly 100 is not more.
    backPages(a, 500, 100);
    p.sample(3);
    assertThat(a.targetPages()).isEqualTo(1);
    backPages(a, 600, 1);
    p.sample(4);
    assertThat(a.targetPages()).isGreaterThan(1);
    assertThat(b.targetPages()).isGreaterThan(1);
    // Measured from that reallocation: a small move now changes nothing.
    a.setTargetPages(1);
    backPages(b, 0, 50);
    p.sample(5);
    assertThat(a.targetPages()).isEqualTo(1);
  }

  @Test
  void freeMemoryComingBackCountsAsMuchAsGoing() {
    AllocationPolicy p = policy(Map.of("free_change", "0.01"));
    backPages(a, 0, 200);
    p.allocate(1);
    a.setTargetPages(1);
    for (int g = 0; g < 33; g++) {
      long frame = org.memvirt.api.memory.P2mEntry.value(a.get(g));
      a.as(0).set(g, 0);
      host.free(frame);
    }
    p.sample(2);
    assertThat(a.targetPages()).isGreaterThan(1);
  }
}
