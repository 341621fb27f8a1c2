package org.memvirt.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.memvirt.api.AccessKind;
import org.memvirt.api.MetricNames;
import org.memvirt.api.mmu.VcpuMmu;
import org.memvirt.engine.guest.GuestProcess;
import org.memvirt.engine.vm.VirtualMachine;

/**
 * Shadow paging on small hand-made guest programs: every exit counted by reason, exactly.
 * Walk caches are off so that walks are plain.
 */
class ShadowPagingTest {
  private static final long A = 0x1000_0000L;
  private static final long B = A + 4096; // same leaf table as A
  private static final long C = A + 2 * 4096;

  private final Map<String, Long> base = new TreeMap<>();
  private Simulation sim;
  private VirtualMachine vm;
  private VcpuMmu mmu;

  private void machine(boolean unsync, int rootCache) {
    sim = Machines.simulation("""
        host: {memory: 64MiB}
        mmu: {type: shadow, unsync: %s, root_cache: %d, walk_cache: {entries: 0, nested_entries: 0, nested_tlb: 0}}
        vms:
          - name: vm
            memory: 16MiB
            processes:
              - workload: {type: script, pages: "1"}
        """.formatted(unsync, rootCache));
    vm = sim.vms().get(0);
    mmu = vm.vcpus().get(0).mmu();
  }

  private long count(String name) {
    long vmScope = vm.scope().get(name);
    return vmScope + vm.vcpus().get(0).scope().get(name) - base.getOrDefault(name, 0L);
  }

  /** Counts from here on. */
  private void mark() {
    base.clear();
    for (String n : new String[] {MetricNames.EXITS, "exits_cr3", "exits_pte_write", "exits_hidden_fault",
        "exits_invlpg", "mmu_unsync", "mmu_flooded", "mmu_shadow_zapped", "shadow_roots_rebuilt",
        MetricNames.WALK_REFS, MetricNames.WALKS}) {
      base.put(n, vm.scope().get(n) + vm.vcpus().get(0).scope().get(n));
    }
  }

  /** A machine running one process that has page A mapped (and shadowed). */
  private GuestProcess runningWithAMapped(boolean unsync) {
    machine(unsync, 4);
    GuestProcess p = vm.kernel().createProcess();
    mmu.loadCr3(p.rootGppn());
    touch(p, A, AccessKind.READ);
    return p;
  }

  /** The access: translated by the vCPU, a guest fault handled by the guest on the way. */
  private void touch(GuestProcess p, long gva, int kind) {
    vm.vcpus().get(0).translate(p, gva, kind);
  }

  @Test
  void mapAPageInANewAddressSpace() {
    machine(false, 4);
    GuestProcess p = vm.kernel().createProcess();
    mark();
    mmu.loadCr3(p.rootGppn());
    assertThat(count("exits_cr3")).isEqualTo(1);
    assertThat(count("shadow_roots_rebuilt")).isEqualTo(1);
    touch(p, A, AccessKind.READ);
    // Hidden fault 1 finds no guest PML4 entry: reflected as a guest page fault. The guest
    // fills the PML4 entry (a shadowed, write-protected table: 1 trap) and builds PDPT, PD
    // and PT (not shadowed yet: no traps). Zero-filling those three tables and the data
    // page touches four unbacked guest pages: four more hidden faults. Hidden fault 2 of
    // the access builds the shadow and fills it.
    assertThat(count("exits_hidden_fault")).isEqualTo(2 + 4);
    assertThat(count("exits_pte_write")).isEqualTo(1);
    assertThat(count(MetricNames.EXITS)).isEqualTo(1 + 6 + 1);
    // A shadow hit walks natively: 4 references.
    mmu.flushTlb();
    mark();
    touch(p, A, AccessKind.READ);
    assertThat(count(MetricNames.WALKS)).isEqualTo(1);
    assertThat(count(MetricNames.WALK_REFS)).isEqualTo(4);
    assertThat(count("exits_hidden_fault")).isZero();
  }

  @Test
  void writesToAShadowedLeafTableTrapEveryTimeWithoutUnsync() {
    GuestProcess p = runningWithAMapped(false);
    mark();
    touch(p, B, AccessKind.READ);
    touch(p, C, AccessKind.READ);
    // Each: a hidden fault reflected to the guest, one as the guest zero-fills the new page,
    // a trapped leaf-entry write, and a hidden fault that fills the shadow.
    assertThat(count("exits_hidden_fault")).isEqualTo(6);
    assertThat(count("exits_pte_write")).isEqualTo(2);
    assertThat(count("mmu_unsync")).isZero();
  }

  @Test
  void withUnsyncOnlyTheFirstLeafWriteTraps() {
    GuestProcess p = runningWithAMapped(true);
    mark();
    touch(p, B, AccessKind.READ);
    touch(p, C, AccessKind.READ);
    assertThat(count("exits_hidden_fault")).isEqualTo(6);
    assertThat(count("exits_pte_write")).isEqualTo(1);
    assertThat(count("mmu_unsync")).isEqualTo(1);
    // invlpg traps and brings the page back in step: the next leaf write traps again.
    mmu.invalidatePage(A);
    assertThat(count("exits_invlpg")).isEqualTo(1);
    touch(p, A + 3 * 4096, AccessKind.READ);
    assertThat(count("exits_pte_write")).isEqualTo(2);
    assertThat(count("mmu_unsync")).isEqualTo(2);
  }

  @Test
  void aWriteToACleanPageTakesAHiddenFaultToSetTheDirtyBit() {
    GuestProcess p = runningWithAMapped(false);
    mark();
    touch(p, A, AccessKind.WRITE);
    assertThat(count("exits_hidden_fault")).isEqualTo(1);
    touch(p, A, AccessKind.WRITE);
    assertThat(count("exits_hidden_fault")).isEqualTo(1);
  }

  @Test
  void aRootCacheKeepsShadowsAcrossSwitchesAndZeroRebuildsThem() {
    for (int cache : new int[] {0, 4}) {
      machine(false, cache);
      GuestProcess p = vm.kernel().createProcess();
      GuestProcess q = vm.kernel().createProcess();
      mmu.loadCr3(p.rootGppn());
      touch(p, A, AccessKind.READ);
      mmu.loadCr3(q.rootGppn());
      touch(q, A, AccessKind.READ);
      mark();
      mmu.loadCr3(p.rootGppn());
      touch(p, A, AccessKind.READ);
      mmu.loadCr3(q.rootGppn());
      touch(q, A, AccessKind.READ);
      assertThat(count("exits_cr3")).isEqualTo(2);
      if (cache == 0) {
        // Both roots rebuilt, each refilled by one hidden fault (the guest tables are intact).
        assertThat(count("shadow_roots_rebuilt")).as("root cache 0").isEqualTo(2);
        assertThat(count("exits_hidden_fault")).as("root cache 0").isEqualTo(2);
      } else {
        assertThat(count("shadow_roots_rebuilt")).as("root cache 4").isZero();
        assertThat(count("exits_hidden_fault")).as("root cache 4").isZero();
      }
    }
  }

  @Test
  void aTableWrittenTooOftenWithoutUseIsUnshadowed() {
    GuestProcess p = runningWithAMapped(false);
    long leafTable = leafTableOf(p, A);
    mark();
    for (int i = 10; i < 14; i++) {
      vm.hardware().writeTableEntry(leafTable, i); // the guest writes entries it does not use
    }
    // Three trapped writes flood it (KVM's threshold); the fourth no longer traps.
    assertThat(count("exits_pte_write")).isEqualTo(3);
    assertThat(count("mmu_flooded")).isEqualTo(1);
    assertThat(count("mmu_shadow_zapped")).isEqualTo(1);
    // The next access rebuilds the shadow of that table.
    touch(p, A, AccessKind.READ);
    assertThat(count("exits_hidden_fault")).isEqualTo(1);
  }

  private long leafTableOf(GuestProcess p, long gva) {
    return vm.kernel().pageTables().leafTableOf(p, gva);
  }
}
