package org.memvirt.mmu.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memvirt.api.AccessKind;
import org.memvirt.api.MetricNames;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.mmu.CostEntry;
import org.memvirt.api.mmu.Pte;
import org.memvirt.api.mmu.WalkResult;
import org.memvirt.testkit.FakeMachine;

/** Shadow paging against the api alone: guest tables built by hand, every exit counted. */
class ShadowTranslationTest extends ShadowRig {
  private static final long A = 0x7f00_0000_0000L + 0x10;
  private static final long B = A + 4096;


  @Test
  void aShadowMissIsAHiddenFaultThenAShadowHitWalksNatively() {
    long root = boot(Map.of());
    long data = fm.map(root, A, true);
    assertThat(cpu.translate(A, AccessKind.READ)).isEqualTo(((data + FakeMachine.HOST_OFFSET) << 12) | 0x10);
    assertThat(fm.count("exits_hidden_fault")).isEqualTo(1);
    assertThat(fm.count(MetricNames.EXITS)).isEqualTo(2); // the CR3 load and the hidden fault
    assertThat(fm.leaf(root, A, 1) & Pte.ACCESSED).isEqualTo(Pte.ACCESSED); // A bit emulated
    long walkRefs = fm.count(MetricNames.WALK_REFS);
    tlb.flush();
    cpu.translate(A, AccessKind.READ);
    assertThat(fm.count(MetricNames.WALK_REFS) - walkRefs).isEqualTo(4);
    assertThat(fm.count("exits_hidden_fault")).isEqualTo(1);
  }

  @Test
  void anUnmappedAddressIsReflectedToTheGuest() {
    boot(Map.of());
    assertThat(cpu.translate(A, AccessKind.READ)).isEqualTo(WalkResult.GUEST_FAULT);
    assertThat(fm.count("exits_hidden_fault")).isEqualTo(1);
    assertThat(fm.count(MetricNames.NATIVE_WALK_REFS)).isEqualTo(1); // the root entry was missing
  }

  @Test
  void writesToShadowedTablesTrapUnlessUnsync() {
    for (boolean unsync : new boolean[] {false, true}) {
      long root = boot(Map.of("unsync", Boolean.toString(unsync)));
      fm.map(root, A, true);
      cpu.translate(A, AccessKind.READ);
      long leafTable = Pte.frame(fm.leaf(root, A, 2));
      long data = fm.map(root, B, true);
      mmu.guestPageTableWritten(leafTable, Pte.index(B, 1));
      mmu.guestPageTableWritten(leafTable, Pte.index(B, 1));
      assertThat(fm.count("exits_pte_write")).as("unsync " + unsync).isEqualTo(unsync ? 1 : 2);
      assertThat(fm.count("mmu_unsync")).as("unsync " + unsync).isEqualTo(unsync ? 1 : 0);
      assertThat(cpu.translate(B, AccessKind.READ) >>> 12).isEqualTo(data + FakeMachine.HOST_OFFSET);
    }
  }

  @Test
  void aRootCacheOfZeroRebuildsOnEverySwitch() {
    for (int cache : new int[] {0, 4}) {
      long p = boot(Map.of("root_cache", Integer.toString(cache)));
      long q = fm.newTable();
      fm.map(p, A, true);
      fm.map(q, A, true);
      cpu.translate(A, AccessKind.READ);
      cpu.mmu().loadCr3(q);
      cpu.translate(A, AccessKind.READ);
      long hidden = fm.count("exits_hidden_fault");
      cpu.mmu().loadCr3(p);
      cpu.translate(A, AccessKind.READ);
      assertThat(fm.count(ShadowMetrics.EXITS_CR3)).isEqualTo(3);
      assertThat(fm.count("exits_hidden_fault") - hidden).as("root cache " + cache).isEqualTo(cache == 0 ? 1 : 0);
      assertThat(fm.count(ShadowMetrics.SHADOW_ROOTS_REBUILT)).as("root cache " + cache).isEqualTo(cache == 0 ? 3 : 2);
    }
  }

  @Test
  void aP2mChangeDropsTheShadowEntriesThatUsedIt() {
    long root = boot(Map.of());
    long data = fm.map(root, A, true);
    cpu.translate(A, AccessKind.READ);
    fm.setP2m(data, P2mEntry.mapped(77));
    mmu.p2mChanged(data);
    assertThat(cpu.translate(A, AccessKind.READ) >>> 12).isEqualTo(77);
    assertThat(fm.count("exits_hidden_fault")).isEqualTo(2);
  }

  @Test
  void itAddsTheCostsOfItsOwnEvents() {
    assertThat(new ShadowMmuFactory().costs()).extracting(CostEntry::key)
        .containsExactly("hidden_fault", "pte_write_emulation", "cr3_switch");
  }
}
