package org.memvirt.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.memvirt.api.MetricNames;
import org.memvirt.engine.report.RunResult;

/**
 * The host's column means one thing per figure: the VMs' counters added up, ratios of the
 * VMs together (sums over sums), rates added up, the host's own work apart, and no figure
 * where none is honest (one VM's elapsed time).
 */
class HostFiguresTest {
  @Test
  void theHostsRatiosAreTheVmsTogetherAndItsOwnWorkIsApart() {
    RunResult r = Machines.run("""
        duration: 2s
        host: {memory: 256MiB}
        vms:
          - name: a
            memory: 64MiB
            processes: [{workload: {type: uniform, footprint: 16MiB, writes: 0.3, rate: 1M/s, content: {shared: 0.5}}}]
          - name: b
            memory: 64MiB
            processes: [{workload: {type: sequential, footprint: 32MiB, writes: 0.5, rate: 500K/s}}]
        reclaim:
          sharing: {scanner: ksm, pages_to_scan: 1000}
        """);
    var a = r.vm("a").metrics();
    var b = r.vm("b").metrics();
    var host = r.host();
    long cycles = a.get(MetricNames.CYCLES).longValue() + b.get(MetricNames.CYCLES).longValue();
    long nativeCycles = a.get(MetricNames.NATIVE_CYCLES).longValue() + b.get(MetricNames.NATIVE_CYCLES).longValue();
    assertThat(host.get(MetricNames.CYCLES).longValue()).isEqualTo(cycles);
    assertThat(host.get(MetricNames.NATIVE_CYCLES).longValue()).isEqualTo(nativeCycles);
    assertThat(host.get(MetricNames.SLOWDOWN).doubleValue()).isEqualTo((double) cycles / nativeCycles);
    // A mean weighted by work lies between the VMs' own.
    assertThat(host.get(MetricNames.SLOWDOWN).doubleValue()).isBetween(
        Math.min(a.get(MetricNames.SLOWDOWN).doubleValue(), b.get(MetricNames.SLOWDOWN).doubleValue()),
        Math.max(a.get(MetricNames.SLOWDOWN).doubleValue(), b.get(MetricNames.SLOWDOWN).doubleValue()));
    // KSM's hashing is the host's own work: counted apart, at the cost model's price, in no VM's cycles.
    long hashes = host.get("share_hashes").longValue();
    assertThat(hashes).isPositive();
    assertThat(host.get(MetricNames.HOST_CYCLES).longValue()).isGreaterThanOrEqualTo(hashes * 1000);
    double elapsed = a.get(MetricNames.ELAPSED_NS).doubleValue() + b.get(MetricNames.ELAPSED_NS).doubleValue();
    double nativeElapsed = a.get(MetricNames.NATIVE_ELAPSED_NS).doubleValue()
        + b.get(MetricNames.NATIVE_ELAPSED_NS).doubleValue();
    assertThat(host.get(MetricNames.ELAPSED_SLOWDOWN).doubleValue()).isCloseTo(elapsed / nativeElapsed, within(1e-9));
    assertThat(host.get(MetricNames.THROUGHPUT).doubleValue()).isEqualTo(a.get(MetricNames.THROUGHPUT).doubleValue()
        + b.get(MetricNames.THROUGHPUT).doubleValue());
    assertThat(host).doesNotContainKeys(MetricNames.ELAPSED_NS, MetricNames.NATIVE_ELAPSED_NS);
  }

  @Test
  void withOneVmTheHostsRatiosAreItsOwn() {
    RunResult r = Machines.run("""
        duration: 1s
        host: {memory: 256MiB}
        vms:
          - name: a
            memory: 64MiB
            processes: [{workload: {type: uniform, footprint: 16MiB, writes: 0.3, content: {zero: 0.5}}}]
        reclaim:
          sharing: {scanner: ksm, pages_to_scan: 1000, use_zero_pages: true}
        """);
    for (String ratio : new String[] {MetricNames.SLOWDOWN, MetricNames.ELAPSED_SLOWDOWN, MetricNames.TLB_MPKA,
        MetricNames.REFS_PER_WALK, MetricNames.THROUGHPUT}) {
      assertThat(r.host().get(ratio)).as(ratio).isEqualTo(r.vm("a").metrics().get(ratio));
    }
    assertThat(r.host().get(MetricNames.HOST_CYCLES).longValue()).isPositive();
  }
}
