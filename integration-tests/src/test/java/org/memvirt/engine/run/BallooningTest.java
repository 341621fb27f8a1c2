package org.memvirt.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.memvirt.api.MetricNames;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.FaultCause;
import org.memvirt.engine.config.ExperimentException;
import org.memvirt.engine.report.RunResult;
import org.memvirt.engine.vm.VirtualMachine;

/**
 * The balloon (reclaim-balloon) in a real guest: the guest's own allocator gives its free
 * pages first, then its replacement swaps; a ballooned page the guest touches reads as
 * zeros; free page reporting leaves no free guest page backed; deflate-on-OOM keeps a guest
 * with nowhere else to turn running; every write is kept and every frame accounted, with the balloon alone or with
 * swap behind it, under both MMUs and both drivers.
 */
class BallooningTest {
  private static long counter(VirtualMachine vm, String name) {
    return vm.scope().counter(name).get();
  }

  @Test
  void theGuestGivesItsFreePagesBeforeItSwapsItsOwn() {
    // 32 MiB guest using 16 MiB; ballooned down to 12 MiB: 5120 pages, more than it has free.
    Simulation sim = Machines.simulation("""
        duration: 10s
        verify: true
        host: {memory: 64MiB}
        vms:
          - name: a
            memory: 32MiB
            balloon_to: 12MiB
            processes:
              - workload: {type: uniform, footprint: 16MiB, writes: 0.5, rate: 200K/s}
        reclaim:
          balloon: {driver: vmware}
        """);
    sim.advanceTo(999_000_000L);
    VirtualMachine vm = sim.vms().get(0);
    long free = vm.kernel().memory().freePages();
    assertThat(free).isBetween(3000L, 5119L);
    sim.advanceTo(1_500_000_000L);
    // The first cycle takes exactly the free pages (no reclaim), then stops: it took more
    // than rate_alloc.
    assertThat(counter(vm, "balloon_from_free")).isEqualTo(free);
    assertThat(counter(vm, "balloon_from_swap")).isZero();
    assertThat(counter(vm, MetricNames.GUEST_SWAP_OUTS)).isZero();
    sim.advanceTo(3_500_000_000L);
    long fromSwap = counter(vm, "balloon_from_swap");
    assertThat(fromSwap).isEqualTo(5120 - free);
    assertThat(counter(vm, MetricNames.GUEST_SWAP_OUTS)).isGreaterThanOrEqualTo(fromSwap);
    assertThat(vm.kernel().memory().pinnedPages()).isEqualTo(5120);
    assertThat(vm.p2m().statePages(P2mEntry.BALLOONED)).isEqualTo(5120);
    RunResult r = sim.run();
    assertThat(r.failure()).isNull();
  }

  @Test
  void aBalloonedPageTouchedByTheGuestReadsAsZerosAndNothingIsLost() {
    Simulation sim = Machines.simulation("""
        duration: 4s
        verify: true
        host: {memory: 64MiB}
        vms:
          - name: a
            memory: 32MiB
            balloon_to: 24MiB
            processes:
              - workload: {type: uniform, footprint: 8MiB, writes: 0.5, rate: 200K/s, lifetime: 100K}
        reclaim:
          balloon: {driver: virtio}
        """);
    sim.advanceTo(1_500_000_000L);
    VirtualMachine vm = sim.vms().get(0);
    long g = -1;
    for (long p = 0; p < vm.pages() && g < 0; p++) {
      if (P2mEntry.state(vm.p2m().get(p)) == P2mEntry.BALLOONED) {
        g = p;
      }
    }
    assertThat(g).isNotNegative();
    // A buggy guest kernel reads the page it gave away: the host backs it again with zeros.
    assertThat(vm.hardware().readPhysical(g, FaultCause.VCPU_READ)).isZero();
    assertThat(counter(vm, "balloon_touched")).isEqualTo(1);
    assertThat(P2mEntry.state(vm.p2m().get(g))).isEqualTo(P2mEntry.MAPPED);
    // The run goes on with the oracle and the frame-table check on.
    RunResult r = sim.run();
    assertThat(r.failure()).isNull();
    assertThat(r.host().get("oracle_checks").longValue()).isPositive();
  }

  @Test
  void freePageReportingLeavesNoFreeGuestPageBacked() {
    // A job over 8 MiB exits after 1 s; a pass 2 s after the first tick that saw its pages
    // freed (Linux's PAGE_REPORTING_DELAY) drops their frames.
    Simulation sim = Machines.simulation("""
        duration: 4s
        verify: true
        host: {memory: 64MiB}
        vms:
          - name: a
            memory: 32MiB
            vcpus: 2
            processes:
              - workload: {type: uniform, footprint: 8MiB, writes: 0.5, rate: 200K/s, accesses: 200K}
              - workload: {type: uniform, footprint: 1MiB, writes: 0.5, rate: 200K/s, base: 0x40000000}
        reclaim:
          balloon: {driver: virtio, free_page_reporting: true}
        """);
    sim.advanceTo(2_900_000_000L);
    VirtualMachine vm = sim.vms().get(0);
    assertThat(counter(vm, MetricNames.PROCESS_EXITS)).isEqualTo(1);
    assertThat(counter(vm, "balloon_reported")).isZero();
    long hostFree = sim.host().freeFrames();
    long backed = vm.backedPages();
    sim.advanceTo(3_300_000_000L);
    long reported = counter(vm, "balloon_reported");
    assertThat(reported).isGreaterThan(2048);
    assertThat(sim.host().freeFrames()).isEqualTo(hostFree + reported);
    assertThat(vm.backedPages()).isEqualTo(backed - reported);
    for (long g = 0; g < vm.pages(); g++) {
      if (vm.kernel().memory().isFree(g)) {
        assertThat(P2mEntry.readable(vm.p2m().get(g))).as("free guest page %d", g).isFalse();
      }
    }
    assertThat(sim.run().failure()).isNull();
  }

  @Test
  void deflateOnOomGivesTheGuestPagesItCannotFindElsewhere() {
    // 16 MiB, no guest swap, ballooned to 8 MiB, and a process that needs 9 MiB.
    String yaml = """
        duration: 2s
        verify: true
        host: {memory: 64MiB}
        vms:
          - name: a
            memory: 16MiB
            balloon_to: 8MiB
            guest: {swap: 0}
            processes:
              - workload: {type: uniform, footprint: 9MiB, writes: 0.5, rate: 20K/s}
        reclaim:
          balloon: {driver: virtio%s}
        """;
    RunResult r = Machines.run(yaml.formatted(", deflate_on_oom: true"));
    assertThat(r.failure()).isNull();
    long given = Machines.metric(r, "a", "balloon_oom_deflated");
    assertThat(given).isPositive();
    assertThat(given % 256).isZero();
    assertThat(Machines.metric(r, "a", "balloon_actual")).isEqualTo(2048 - given);
    assertThat(Machines.metric(r, "a", MetricNames.BALLOONED)).isEqualTo(2048 - given);
    // Without the feature the guest has nowhere to turn: the run stops there, partial, with the reason.
    RunResult without = Machines.run(yaml.formatted(""));
    assertThat(without.partial()).isTrue();
    assertThat(without.failure()).startsWith("vm a: guest out of memory: all 4096 of its pages are in use (2048 pinned "
        + "by its drivers, a balloon's among them) and it has no swap device (vms[0].guest.swap: 0)");
  }

  @Test
  void withAPolicyTheBalloonTakesEachVmToItsTarget() {
    // Two guests of 48 MiB touch 31 MiB each on a 64 MiB host: the soft state. The policy
    // gives each 80% of the host / 2 = 6553 pages; only the balloon reclaims.
    RunResult r = Machines.run("""
        duration: 12s
        verify: true
        host: {memory: 64MiB}
        vms:
          - {name: a, memory: 48MiB, processes: [{workload: {type: uniform, footprint: 31MiB, writes: 0.5, rate: 100K/s}}]}
          - {name: b, memory: 48MiB, processes: [{workload: {type: uniform, footprint: 31MiB, writes: 0.5, rate: 100K/s}}]}
        policy: {type: equal, fraction: 0.8}
        reclaim:
          balloon: {driver: vmware}
        """);
    assertThat(r.failure()).isNull();
    assertThat(r.host().get(MetricNames.HOST_STATE).longValue()).isZero();
    long target = (long) (64L * 256 * 0.8) / 2;
    for (String vm : new String[] {"a", "b"}) {
      assertThat(Machines.metric(r, vm, MetricNames.TARGET)).isEqualTo(target);
      // Down from ~7,950 pages to its target, give or take: reclamation stops once free
      // memory is back in the high state, which the last round may reach up to the
      // soft-to-high gap (2% of the host, 328 pages) above the targets.
      assertThat(Machines.metric(r, vm, MetricNames.PRIVATE)).isBetween(target - 64, target + 328);
      // The guest's free pages went first, then pages it swapped itself.
      assertThat(Machines.metric(r, vm, "balloon_from_free")).isPositive();
      assertThat(Machines.metric(r, vm, "balloon_from_swap")).isPositive();
    }
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
      "ept, vmware, ''", "shadow, vmware, ''", "ept, virtio, ''", "shadow, virtio, ''",
      "ept, vmware, 'swap: {}'", "shadow, vmware, 'swap: {}'", "ept, virtio, 'swap: {}'",
      "shadow, virtio, 'swap: {}'"})
  void overcommittedMachinesKeepEveryWriteAndEveryFrame(String mmu, String driver, String swap) {
    String virtio = driver.equals("virtio") ? ", deflate_on_oom: true, free_page_reporting: true" : "";
    // Guests that grow slowly and free memory as processes come and go: a balloon alone can
    // keep up (wide thresholds give it time); without swap a faster guest would run the host out.
    RunResult r = Machines.run("""
        seed: 5
        duration: 6s
        verify: true
        host: {memory: 20MiB, reclaim_period: 100ms, thresholds: {high: 0.3, soft: 0.2, hard: 0.1, low: 0.05}}
        mmu: {type: %s}
        vms:
          - name: a
            memory: 16MiB
            processes:
              - workload: {type: uniform, footprint: 8MiB, writes: 0.5, rate: 20K/s, lifetime: 50K}
              - workload: {type: zipf, footprint: 6MiB, writes: 0.3, rate: 20K/s, content: {zero: 0.2}}
          - name: b
            memory: 12MiB
            processes:
              - workload: {type: uniform, footprint: 9MiB, writes: 0.4, rate: 20K/s, lifetime: 40K}
        reclaim:
          balloon: {driver: %s, period: 100ms%s}
          %s
        """.formatted(mmu, driver, virtio, swap));
    assertThat(r.failure()).isNull();
    assertThat(r.host().get("oracle_checks").longValue()).isGreaterThan(20_000);
    long inflated = 0;
    for (RunResult.VmResult vm : r.vms()) {
      inflated += vm.metrics().get("balloon_inflated").longValue();
    }
    assertThat(inflated).isPositive();
  }

  @Test
  void badBalloonSettingsGiveOneLineNamingTheKey() {
    String yaml = """
        host: {memory: 64MiB}
        vms:
          - {name: a, memory: 32MiB, processes: [{workload: {type: uniform, footprint: 4MiB}}]}
        reclaim:
          balloon: {%s}
        """;
    assertThatThrownBy(() -> Machines.run(yaml.formatted("cap: 1.5"))).isInstanceOf(ExperimentException.class)
        .hasMessageContaining("reclaim.balloon.cap: expected a fraction from 0 to 1");
    assertThatThrownBy(() -> Machines.run(yaml.formatted("driver: xen"))).isInstanceOf(ExperimentException.class)
        .hasMessageContaining("reclaim.balloon.driver: expected one of vmware, virtio");
    assertThatThrownBy(() -> Machines.run(yaml.formatted("period: -1s"))).isInstanceOf(ExperimentException.class)
        .hasMessageContaining("reclaim.balloon.period");
    assertThatThrownBy(() -> Machines.run("""
        host: {memory: 64MiB}
        vms:
          - {name: a, memory: 32MiB, balloon: false, processes: [{workload: {type: uniform, footprint: 4MiB}}]}
        """)).isInstanceOf(ExperimentException.class).hasMessageContaining("vms[0].balloon: unknown key");
  }
}
