package org.memvirt.policy.shares;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memvirt.api.policy.AllocationPolicy;
import org.memvirt.api.reclaim.VmMemory;
import org.memvirt.testkit.FakeHostMemory;
import org.memvirt.testkit.FakePolicyContext;
import org.memvirt.testkit.FakeVm;
import org.memvirt.testkit.MapSettings;

/** The working-set policy's arithmetic: targets before any sample, scaling to fit, and the buffer. */
class WorkingSetPolicyTest {
  /** Two VMs of 10,000 pages (min 1,000) on a host of {@code frames}. */
  private static FakeVm[] vms(FakeHostMemory host) {
    FakeVm a = new FakeVm(0, "a", 10_000, 1_000, 10_000, 1000, -1, host);
    FakeVm b = new FakeVm(1, "b", 10_000, 1_000, 10_000, 1000, -1, host);
    host.attach(List.of(a, b));
    return new FakeVm[] {a, b};
  }

  private static AllocationPolicy policy(FakeHostMemory host, FakeVm[] vms, Map<String, Object> settings) {
    return new WorkingSetPolicyFactory().create(new FakePolicyContext(new MapSettings(settings), host,
        List.<VmMemory>of(vms[0], vms[1]), () -> 0, 5));
  }

  /** Before a VM's first sample, its target is its max; when the maxes do not fit, what is above the mins shrinks in proportion. */
  @Test
  void beforeAnySampleTargetsAreTheMaxesScaledToFit() {
    FakeHostMemory roomy = new FakeHostMemory(30_000);
    FakeVm[] a = vms(roomy);
    policy(roomy, a, Map.of()).allocate(0);
    assertThat(a[0].targetPages()).isEqualTo(10_000);
    assertThat(a[1].targetPages()).isEqualTo(10_000);
    // 12,000 frames less the high threshold (6%: 720) leave 11,280; less the mins, 9,280 for
    // 18,000 above them: each VM gets 1,000 + floor(9,000 x 9,280 / 18,000) = 5,640.
    FakeHostMemory tight = new FakeHostMemory(12_000);
    FakeVm[] b = vms(tight);
    policy(tight, b, Map.of()).allocate(0);
    assertThat(b[0].targetPages()).isEqualTo(5_640);
    assertThat(b[1].targetPages()).isEqualTo(5_640);
    // Less room than the mins: the mins.
    FakeHostMemory tiny = new FakeHostMemory(1_000);
    FakeVm[] c = vms(tiny);
    policy(tiny, c, Map.of()).allocate(0);
    assertThat(c[0].targetPages()).isEqualTo(1_000);
  }

  /** Once sampled, a VM's target is its active estimate plus the buffer; the idle one falls to its min. */
  @Test
  void sampledTargetsAreTheActiveEstimatePlusTheBuffer() {
    FakeHostMemory host = new FakeHostMemory(30_000);
    FakeVm[] v = vms(host);
    for (FakeVm vm : v) {
      for (long g = 0; g < 10_000; g++) {
        vm.back(g, g + 1);
      }
    }
    AllocationPolicy p = policy(host, v, Map.of("buffer", 0.5));
    assertThat(p.samplePeriodNanos()).isEqualTo(30_000_000_000L);
    assertThat(p.periodNanos()).isEqualTo(15_000_000_000L);
    p.sample(0); // arms the first sample
    for (int period = 0; period < 3; period++) {
      // VM a touches every page, VM b none.
      for (long g = 0; g < 10_000; g++) {
        v[0].markAccessed(g);
      }
      p.sample(period + 1);
    }
    p.allocate(4);
    assertThat(v[0].activePages()).isEqualTo(10_000);
    // 10,000 x 1.5, clamped at the max.
    assertThat(v[0].targetPages()).isEqualTo(10_000);
    assertThat(v[1].activePages()).isZero();
    assertThat(v[1].targetPages()).isEqualTo(1_000);
  }

  @Test
  void aBufferOutOfRangeIsRefused() {
    FakeHostMemory host = new FakeHostMemory(30_000);
    FakeVm[] v = vms(host);
    assertThatThrownBy(() -> policy(host, v, Map.of("buffer", -0.1))).hasMessageContaining("buffer: expected");
    assertThatThrownBy(() -> policy(host, v, Map.of("buffer", 11))).hasMessageContaining("buffer: expected");
  }
}
