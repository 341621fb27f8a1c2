package org.memvirt.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.memvirt.api.MetricNames;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.engine.config.ExperimentException;
import org.memvirt.engine.report.RunResult;
import org.memvirt.engine.vm.VirtualMachine;

/**
 * reclaim-sharing in whole machines: every write kept and every frame accounted under both
 * MMUs and both scanners, alone and beside swap and the balloon, with guest swapping and
 * short-lived processes; salting keeps VMs apart throughout a run; the gauges count
 * shared and zero pages as ESX does.
 */
class PageSharingTest {
  /**
   * Two guests from one image: about half their written pages alike, a fifth zeros. Guest
   * a's processes want more than its 12 MiB, so it swaps to its own device; its uniform
   * process and b's exit and come back every few thousand accesses.
   */
  private static final String VMS = """
      vms:
        - name: a
          memory: 12MiB
          guest: {swap: 32MiB}
          processes:
            - workload: {type: uniform, footprint: 8MiB, writes: 0.2, rate: 20K/s, lifetime: 15K, content: {shared: 0.4, zero: 0.2}}
            - workload: {type: zipf, footprint: 9MiB, writes: 0.1, rate: 20K/s, content: {shared: 0.5, zero: 0.2}}
        - name: b
          memory: 12MiB
          processes:
            - workload: {type: uniform, footprint: 9MiB, writes: 0.2, rate: 20K/s, lifetime: 40K, content: {shared: 0.4, zero: 0.2}}
      """;

  private static String scanner(String scanner, String salt) {
    return scanner.equals("esx")
        ? "sharing: {scanner: esx, scan_vm: 3000/s, scan_total: 6000/s, salt: " + salt + "}"
        : "sharing: {scanner: ksm, pages_to_scan: 100, sleep_millisecs: 20, use_zero_pages: true, salt: " + salt + "}";
  }

  /** The two guests on a host of {@code memory}, 5 s, with a scanner and {@code others} beside it. */
  private static Simulation machine(String memory, String mmu, String scanner, String others) {
    return Machines.simulation("""
        seed: 9
        duration: 5s
        verify: true
        host: {memory: %s, reclaim_period: 100ms, thresholds: {high: 0.3, soft: 0.2, hard: 0.1, low: 0.05}}
        mmu: {type: %s}
        reclaim:
          %s
          %s
        """.formatted(memory, mmu, scanner(scanner, "none"), others) + VMS);
  }

  /** Runs {@code sim} to its end, the frame table checked every 0.5 s; every write kept (the oracle on). */
  private static RunResult runCheckingFrames(Simulation sim) {
    for (long t = 500_000_000L; t < 5_000_000_000L; t += 500_000_000L) {
      sim.advanceTo(t);
      sim.checkFrameTable();
    }
    RunResult r = sim.run();
    assertThat(r.failure()).isNull();
    assertThat(r.host().get("oracle_checks").longValue()).isGreaterThan(20_000);
    return r;
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
      "ept, esx, ''", "shadow, esx, ''", "ept, ksm, ''", "shadow, ksm, ''",
      "ept, esx, 'swap: {}'", "shadow, ksm, 'swap: {}'",
      "ept, ksm, 'balloon: {driver: virtio, period: 100ms, free_page_reporting: true}'",
      "shadow, esx, 'balloon: {driver: vmware, period: 100ms}'",
      "ept, esx, 'balloon: {driver: vmware, period: 100ms}\n  swap: {}'",
      "shadow, esx, 'swap: {}\n  balloon: {driver: virtio, period: 100ms, deflate_on_oom: true}'",
      "ept, ksm, 'swap: {victims: clock}\n  balloon: {driver: vmware, period: 100ms}'",
      "shadow, ksm, 'balloon: {driver: virtio, period: 100ms}\n  swap: {}'",
      "ept, ksm, 'swap: {shared: true}'", "shadow, esx, 'swap: {shared: true}'",
      "shadow, ksm, 'swap: {shared: true, victims: clock}\n  balloon: {driver: vmware, period: 100ms}'",
      "ept, esx, 'balloon: {driver: virtio, period: 100ms}\n  swap: {shared: true, compression: true}'"})
  void machinesWithSharingKeepEveryWriteAndEveryFrame(String mmu, String scanner, String others) {
    // Sharing alone never runs short; a balloon without swap needs room to keep up; with swap, tight.
    String memory = others.isEmpty() ? "64MiB" : others.contains("swap") ? "18MiB" : "22MiB";
    Simulation sim = machine(memory, mmu, scanner, others);
    RunResult r = runCheckingFrames(sim);
    long merged = Machines.metric(r, "a", "share_merged") + Machines.metric(r, "b", "share_merged");
    long zero = Machines.metric(r, "a", "share_zero_merged") + Machines.metric(r, "b", "share_zero_merged");
    assertThat(merged).isPositive();
    assertThat(zero).isPositive();
    assertThat(Machines.metric(r, "a", "cow_breaks") + Machines.metric(r, "b", "cow_breaks")).isPositive();
    assertThat(Machines.metric(r, "a", MetricNames.GUEST_SWAP_OUTS)).isPositive();
    assertThat(Machines.metric(r, "a", MetricNames.PROCESS_EXITS)).isPositive();
  }

  /**
   * With {@code shared: true}, host swapping takes shared frames whole: every page of the
   * frame goes out on one slot, written once; the first page to come back reads it, the
   * others find it read (the swap cache) and map it shared. Every write kept, every frame
   * accounted, under both MMUs and both scanners.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"ept, ksm", "shadow, ksm", "ept, esx", "shadow, esx"})
  void sharedFramesAreSwappedWholeAndComeBackShared(String mmu, String scanner) {
    Simulation sim = machine("18MiB", mmu, scanner, "swap: {shared: true}");
    RunResult r = runCheckingFrames(sim);
    long handed = Machines.metric(r, "a", "share_handed_over") + Machines.metric(r, "b", "share_handed_over");
    long swappedShared = Machines.metric(r, "a", "swapped_shared") + Machines.metric(r, "b", "swapped_shared");
    assertThat(handed).isPositive().isEqualTo(swappedShared);
    assertThat(Machines.metric(r, "a", "swap_cache_hits") + Machines.metric(r, "b", "swap_cache_hits")).isPositive();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"esx", "ksm"})
  void withSaltPerVmNoFrameIsEverSharedAcrossVms(String scanner) {
    Simulation sim = Machines.simulation("""
        seed: 4
        duration: 4s
        verify: true
        host: {memory: 64MiB}
        reclaim:
          %s
        """.formatted(scanner(scanner, "vm")) + VMS);
    long crossVm = 0;
    long shared = 0;
    for (long t = 200_000_000L; t <= 4_000_000_000L; t += 200_000_000L) {
      sim.advanceTo(t);
      Map<Long, Integer> vmOfFrame = new HashMap<>();
      for (VirtualMachine vm : sim.vms()) {
        for (long g = 0; g < vm.p2m().pages(); g++) {
          long e = vm.p2m().get(g);
          long frame = P2mEntry.value(e);
          if (P2mEntry.state(e) != P2mEntry.SHARED || sim.host().content(frame) == 0) {
            continue; // zero pages carry nothing: every VM maps the one zero frame
          }
          shared++;
          Integer other = vmOfFrame.putIfAbsent(frame, vm.index());
          if (other != null && other != vm.index()) {
            crossVm++;
          }
        }
      }
      sim.checkFrameTable();
    }
    assertThat(shared).isPositive(); // pages alike within a VM still share
    assertThat(crossVm).isZero();
    assertThat(sim.result().failure()).isNull();
  }

  @Test
  void withoutSaltIdenticalVmsShareFramesAcrossVmsAndTheGaugesSayHowMuch() {
    RunResult r = Machines.run("""
        seed: 4
        duration: 4s
        host: {memory: 64MiB}
        reclaim:
          %s
        vms:
          - {name: a, memory: 8MiB, processes: [{workload: {type: sequential, footprint: 4MiB, writes: 0.05, rate: 50K/s, content: {shared: 0.75, zero: 0.25}}}]}
          - {name: b, memory: 8MiB, processes: [{workload: {type: sequential, footprint: 4MiB, writes: 0.05, rate: 50K/s, content: {shared: 0.75, zero: 0.25}}}]}
        """.formatted(scanner("esx", "none")));
    assertThat(r.failure()).isNull();
    long shared = Machines.metric(r, "a", MetricNames.SHARED) + Machines.metric(r, "b", MetricNames.SHARED);
    long zero = Machines.metric(r, "a", MetricNames.ZERO) + Machines.metric(r, "b", MetricNames.ZERO);
    long common = r.host().get(MetricNames.SHARED_COMMON).longValue();
    assertThat(zero).isPositive().isLessThan(shared);
    // Pages alike across the two VMs: each frame stands for two pages or more, so over half are saved.
    assertThat((shared - common) * 2).isGreaterThan(shared);
    assertThat(r.host().get(MetricNames.SHARED_SAVED).longValue()).isEqualTo(shared - common);
  }

  @ParameterizedTest(name = "{0} salt {1}")
  @CsvSource({"esx, none", "esx, vm", "ksm, none", "ksm, vm"})
  void theSideChannelReadsAnotherVmsContentUnlessPagesAreSalted(String scanner, String salt) {
    RunResult r = Machines.run("""
        seed: 3
        duration: 8s
        host: {memory: 128MiB}
        reclaim:
          %s
        vms:
          - name: victim
            memory: 8MiB
            processes: [{workload: {type: image, image: libc, footprint: 1MiB, rate: 10K/s}}]
          - name: attacker
            memory: 8MiB
            processes: [{workload: {type: dedup-probe, image: libc, footprint: 1MiB, guesses: 100, wait: 5s, rate: 10K/s}}]
        """.formatted(scanner(scanner, salt)));
    assertThat(r.failure()).isNull();
    long guesses = Machines.metric(r, "attacker", "probe_guesses");
    long present = Machines.metric(r, "attacker", "probe_present");
    assertThat(guesses).isEqualTo(100);
    assertThat(present).isBetween(30L, 70L);
    if (salt.equals("none")) {
      // Every guess read right: shared pages are slow to write.
      assertThat(Machines.metric(r, "attacker", "probe_correct")).isEqualTo(guesses);
    } else {
      // Nothing of the victim's is ever shared with it: it says "absent" every time, right only by chance.
      assertThat(Machines.metric(r, "attacker", "probe_said_present")).isZero();
      assertThat(Machines.metric(r, "attacker", "probe_correct")).isEqualTo(guesses - present);
    }
  }

  @Test
  void badSharingSettingsGiveOneLineNamingTheKey() {
    String yaml = """
        host: {memory: 64MiB}
        vms:
          - {name: a, memory: 32MiB, processes: [{workload: {type: uniform, footprint: 4MiB}}]}
        reclaim:
          sharing: {%s}
        """;
    assertThatThrownBy(() -> Machines.run(yaml.formatted("scanner: tps"))).isInstanceOf(ExperimentException.class)
        .hasMessageContaining("reclaim.sharing.scanner: expected one of esx, ksm");
    assertThatThrownBy(() -> Machines.run(yaml.formatted("pages_to_scan: 10"))).isInstanceOf(ExperimentException.class)
        .hasMessageContaining("reclaim.sharing.pages_to_scan: expected scanner: ksm");
    assertThatThrownBy(() -> Machines.run(yaml.formatted("salt: random"))).isInstanceOf(ExperimentException.class)
        .hasMessageContaining("reclaim.sharing.salt: expected one of none, vm");
    assertThatThrownBy(() -> Machines.run(yaml.formatted("scanner: ksm, max_page_sharing: 1")))
        .isInstanceOf(ExperimentException.class).hasMessageContaining("reclaim.sharing.max_page_sharing");
    assertThatThrownBy(() -> Machines.run("""
        host: {memory: 64MiB}
        vms:
          - {name: a, memory: 32MiB, salt: x, processes: [{workload: {type: uniform, footprint: 4MiB}}]}
        """)).isInstanceOf(ExperimentException.class).hasMessageContaining("vms[0].salt: unknown key");
  }
}
