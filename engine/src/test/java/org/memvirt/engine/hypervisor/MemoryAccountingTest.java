package org.memvirt.engine.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memvirt.api.MetricNames;
import org.memvirt.api.memory.HostMemory;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.VmMemory;
import org.memvirt.engine.report.RunResult;
import org.memvirt.engine.run.Machines;
import org.memvirt.engine.run.Simulation;
import org.memvirt.engine.vm.VirtualMachine;
import org.memvirt.testkit.HandSwapper;

/**
 * Every memory gauge on a hand-made two-VM machine: one frame shared by two pages of a and
 * one of b, one ballooned page (a), one swapped page (b) and one zero page (b), made by
 * hand through a technique's views as a technique would make them.
 */
class MemoryAccountingTest {
  private static final String YAML = """
      duration: 1s
      verify: true
      host: {memory: 64MiB}
      vms:
        - {name: a, memory: 16MiB, processes: [{workload: {type: script, pages: "0,1,2,3", write: true, loop: true}}]}
        - {name: b, memory: 16MiB, processes: [{workload: {type: script, pages: "0,1,2,3", write: true, loop: true}}]}
      reclaim:
        toy-hand: {}
      """;

  @Test
  void everyGaugeHasItsExactValue() {
    Simulation sim = Machines.simulation(YAML);
    sim.advanceTo(1_000_000_000L);
    VirtualMachine a = sim.vms().get(0);
    VirtualMachine b = sim.vms().get(1);
    Map<String, Long> a0 = MemoryAccounting.vmGauges(a, sim.host());
    Map<String, Long> b0 = MemoryAccounting.vmGauges(b, sim.host());
    long free0 = sim.host().freeFrames();

    Technique t = sim.hypervisor().techniques().get(0);
    HandSwapper hand = (HandSwapper) t.reclaimer;
    HostMemory host = t.host;
    VmMemory va = t.view(a);
    VmMemory vb = t.view(b);
    long[] pa = dataPages(sim, a);
    long[] pb = dataPages(sim, b);

    // a's first data page's frame becomes shared by it, a's second page and b's first page.
    long shared = P2mEntry.value(va.p2m().get(pa[0]));
    host.share(shared);
    va.p2m().set(pa[0], P2mEntry.of(P2mEntry.SHARED, shared, t.id));
    remap(host, va, pa[1], shared, t.id);
    remap(host, vb, pb[0], shared, t.id);
    // a's third page is ballooned, b's second swapped, b's third known to be zero.
    long ballooned = P2mEntry.value(va.p2m().get(pa[2]));
    va.p2m().set(pa[2], P2mEntry.of(P2mEntry.BALLOONED, 0, t.id));
    host.free(ballooned);
    hand.swapOut(vb, pb[1]);
    long zero = P2mEntry.value(vb.p2m().get(pb[2]));
    vb.p2m().set(pb[2], P2mEntry.of(P2mEntry.ZERO, 0, t.id));
    host.free(zero);

    for (long g : new long[] {pa[0], pa[1], pa[2]}) {
      hand.madeByHand(va, g);
    }
    hand.madeByHand(vb, pb[0]);
    hand.madeByHand(vb, pb[2]);

    Map<String, Long> ga = MemoryAccounting.vmGauges(a, sim.host());
    Map<String, Long> gb = MemoryAccounting.vmGauges(b, sim.host());
    long privateA = a0.get(MetricNames.PRIVATE);
    long privateB = b0.get(MetricNames.PRIVATE);
    assertThat(ga).containsEntry(MetricNames.PRIVATE, privateA - 3)
        .containsEntry(MetricNames.SHARED, 2L)
        .containsEntry(MetricNames.BALLOONED, 1L)
        .containsEntry(MetricNames.SWAPPED, 0L)
        .containsEntry(MetricNames.ZERO, 0L)
        .containsEntry(MetricNames.GRANTED, privateA - 1)
        // 2 of the shared frame's 3 sharers are a's: 2/3 of a frame, to the nearest page 1.
        .containsEntry(MetricNames.CONSUMED, privateA - 2)
        .containsEntry(MetricNames.UNBACKED, a0.get(MetricNames.UNBACKED))
        .containsEntry(MetricNames.GUEST_USED, a0.get(MetricNames.GUEST_USED));
    assertThat(gb).containsEntry(MetricNames.PRIVATE, privateB - 3)
        .containsEntry(MetricNames.SHARED, 1L)
        .containsEntry(MetricNames.BALLOONED, 0L)
        .containsEntry(MetricNames.SWAPPED, 1L)
        .containsEntry(MetricNames.ZERO, 1L)
        .containsEntry(MetricNames.GRANTED, privateB - 1)
        .containsEntry(MetricNames.CONSUMED, privateB - 3);
    assertThat(t.view(a).consumedPages()).isEqualTo(privateA - 2);
    assertThat(t.view(a).backedPages()).isEqualTo(privateA - 1);

    Map<String, Long> h = MemoryAccounting.hostGauges(sim.host(), sim.vms());
    assertThat(h).containsEntry(MetricNames.SHARED_COMMON, 1L)
        .containsEntry(MetricNames.SHARED_SAVED, 2L)
        .containsEntry(MetricNames.HOST_HELD, 0L)
        .containsEntry(MetricNames.CONSUMED, privateA - 3 + privateB - 3 + 1)
        // Freed: a's second and third pages' frames, b's first three.
        .containsEntry(MetricNames.HOST_FREE, free0 + 5);
    // The contract holds: every frame accounted once, every refcount right.
    sim.checkFrameTable();
  }

  @Test
  void everySampleCarriesEveryGaugeAndEachVmItsOwnConsumed() {
    RunResult r = Machines.run(YAML.replace("toy-hand: {}", "toy-hand: {}\nmetrics: {period: 100ms}"));
    for (RunResult.Sample s : r.timeSeries()) {
      assertThat(s.values()).containsKeys(MetricNames.CONSUMED, MetricNames.GRANTED, MetricNames.PRIVATE,
          MetricNames.SHARED, MetricNames.ZERO, MetricNames.BALLOONED, MetricNames.SWAPPED, MetricNames.COMPRESSED,
          MetricNames.GUEST_FREE, MetricNames.TARGET, MetricNames.HOST_FREE, MetricNames.HOST_STATE,
          MetricNames.SHARED_COMMON, MetricNames.SHARED_SAVED, MetricNames.HOST_HELD);
      assertThat(s.values().get(MetricNames.CONSUMED)).isEqualTo(s.values().get(MetricNames.PRIVATE));
    }
  }

  /** Maps {@code gppn} to shared frame {@code shared} instead of its own frame, which is freed. */
  private static void remap(HostMemory host, VmMemory vm, long gppn, long shared, int owner) {
    long own = P2mEntry.value(vm.p2m().get(gppn));
    host.addSharer(shared);
    vm.p2m().set(gppn, P2mEntry.of(P2mEntry.SHARED, shared, owner));
    host.free(own);
  }

  /** The guest pages backing the script's data pages 0..3, in order. */
  private static long[] dataPages(Simulation sim, VirtualMachine vm) {
    var process = vm.kernel().process(0);
    long[] pages = new long[4];
    for (int i = 0; i < 4; i++) {
      pages[i] = vm.kernel().pageTables().translate(process, 0x1000_0000L + i * 4096L);
    }
    return pages;
  }
}
