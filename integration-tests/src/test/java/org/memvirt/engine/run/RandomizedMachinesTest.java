package org.memvirt.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memvirt.api.MetricNames;
import org.memvirt.engine.report.RunResult;

/**
 * Whole machines drawn at random from a seed: every combination of MMU, TLB tagging, shadow
 * options, walk caches, large pages, guest replacement, short-lived processes, vCPUs and
 * reclamation (hypervisor swapping alone, with a balloon, with content-based sharing, or
 * all three, in different orders; the test techniques and the real swap and balloon) must keep
 * every write (the content oracle) and a consistent frame table, and count no retried
 * access as a miss. A failing seed reproduces exactly.
 */
class RandomizedMachinesTest {
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 121, 126})
  void everyWriteIsKept(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    String mmu = r.nextBoolean() ? "ept" : "shadow";
    String shadow = mmu.equals("shadow")
        ? ", unsync: " + r.nextBoolean() + ", root_cache: " + new int[] {0, 1, 4}[r.nextInt(3)] : "";
    int caches = r.nextBoolean() ? 32 : 0;
    boolean overcommit = r.nextBoolean();
    String replacement = new String[] {"fifo", "lru", "clock"}[r.nextInt(3)];
    String lifetime = r.nextBoolean() ? ", lifetime: " + (1 + r.nextInt(5)) + "K" : "";
    String yaml = """
        seed: %d
        duration: 1s
        verify: true
        host: {memory: %s, large_pages: %s}
        mmu: {type: %s%s, tlb: {tagged: %s}, walk_cache: {entries: %d, nested_entries: %d, nested_tlb: %d}}
        vms:
          - name: a
            memory: 16MiB
            vcpus: %d
            guest: {replacement: %s, swap: 64MiB, huge_pages: %s}
            processes:
              - workload: {type: uniform, footprint: 10MiB, writes: 0.5, rate: 150K/s, large_pages: %s}
              - workload: {type: zipf, footprint: 12MiB, writes: 0.3, fetches: 0.1, rate: 150K/s, content: {shared: 0.4, zero: 0.2}%s}
          - name: b
            memory: 12MiB
            processes:
              - workload: {type: phases, footprint: 10MiB, working_set: 2MiB, phase: 5K, writes: 0.4, rate: 150K/s, content: {shared: 0.4}%s}
        %s
        """.formatted(seed, overcommit ? "20MiB" : "64MiB", r.nextBoolean() ? "8MiB" : "0", mmu, shadow,
        r.nextBoolean(), caches, caches, caches, 1 + r.nextInt(2), replacement, r.nextBoolean() ? "4MiB" : "0",
        r.nextBoolean(), lifetime, lifetime,
        overcommit ? "policy: {type: equal}\nreclaim:\n" + new String[] {"  toy-swap: {}",
            "  toy-balloon: {}\n  toy-swap: {}", "  toy-swap: {}\n  toy-balloon: {}",
            "  toy-share: {}\n  toy-swap: {}", "  toy-share: {}\n  toy-balloon: {}\n  toy-swap: {}",
            "  toy-swap: {}\n  toy-share: {}\n  toy-balloon: {}", "  balloon: {driver: vmware, period: 200ms}\n  swap: {}",
            "  swap: {}\n  balloon: {driver: virtio, deflate_on_oom: true, free_page_reporting: true}",
            "  toy-share: {}\n  balloon: {driver: virtio}\n  swap: {}",
            "  sharing: {scanner: ksm, pages_to_scan: 200, use_zero_pages: true}\n  swap: {}",
            "  sharing: {scan_vm: 2000/s, scan_total: 4000/s, salt: vm}\n  balloon: {driver: vmware, period: 200ms}\n"
                + "  swap: {}",
            "  sharing: {scanner: ksm, pages_to_scan: 300}\n  swap: {shared: true, victims: clock}",
            "  balloon: {driver: virtio}\n  sharing: {scan_vm: 2000/s, scan_total: 4000/s}\n  swap: {shared: true}"}
            [r.nextInt(13)] : "");
    RunResult result = Machines.run(yaml);
    assertThat(result.failure()).as(yaml).isNull();
    assertThat(result.host().get("oracle_checks").longValue()).as(yaml).isGreaterThan(40_000);
    // Re-executed accesses count as retries, never as misses: no miss ratio exceeds 1.
    for (RunResult.VmResult vm : result.vms()) {
      long accesses = vm.metrics().get(MetricNames.ACCESSES).longValue();
      assertThat(vm.metrics().get(MetricNames.TLB_L1D_MISSES).longValue()
          + vm.metrics().get(MetricNames.TLB_L1I_MISSES).longValue()).as(yaml).isLessThanOrEqualTo(accesses);
      assertThat(vm.metrics().get(MetricNames.TLB_L2_MISSES).longValue()).as(yaml).isLessThanOrEqualTo(accesses);
    }
  }
}
