package org.memvirt.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memvirt.api.MetricNames;
import org.memvirt.engine.report.RunResult;

/** With PCID/VPID (mmu.tlb.tagged) a context switch keeps the TLB; without, it flushes it. */
class TaggedTlbTest {
  private static RunResult run(String mmu, boolean tagged) {
    return Machines.run("""
        duration: 10s
        verify: true
        host: {memory: 256MiB}
        mmu: {type: %s, tlb: {tagged: %s}}
        vms:
          - name: vm
            memory: 64MiB
            processes:
              - workload: {type: uniform, footprint: 128KiB, writes: 0.3, rate: 1M/s, switch_rate: 1000/s, accesses: 400K}
                copies: 3
        """.formatted(mmu, tagged));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ept", "shadow"})
  void switchesFlushOnlyWithoutTags(String mmu) {
    RunResult off = run(mmu, false);
    RunResult on = run(mmu, true);
    long switches = Machines.metric(off, "vm", MetricNames.CONTEXT_SWITCHES);
    assertThat(switches).isGreaterThan(900);
    // Untagged: the first CR3 load, every switch and every exit (its address space goes) flush.
    long exits = Machines.metric(off, "vm", MetricNames.PROCESS_EXITS);
    assertThat(exits).isEqualTo(3);
    assertThat(Machines.metric(off, "vm", MetricNames.TLB_FLUSH)).isEqualTo(switches + 1 + exits);
    assertThat(Machines.metric(on, "vm", MetricNames.TLB_FLUSH)).isZero();
    // Three 32-page working sets fit in the L2 TLB together: tagged, they stay.
    assertThat(Machines.metric(on, "vm", MetricNames.TLB_L2_MISSES))
        .isLessThan(Machines.metric(off, "vm", MetricNames.TLB_L2_MISSES) / 10);
    assertThat(Machines.metric(on, "vm", MetricNames.ACCESSES)).isEqualTo(Machines.metric(off, "vm", MetricNames.ACCESSES));
  }
}
