package org.memvirt.engine.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memvirt.api.Counter;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.mmu.Mmu;
import org.memvirt.api.mmu.VcpuContext;
import org.memvirt.api.mmu.VcpuMmu;

/**
 * The engine's P2M alone: per-state counts kept as entries change, the MMU told of every
 * change that could leave a stale translation (and of no other), 2 MiB mappings made and
 * split, and the two readers' accessed bits kept apart.
 */
class P2mTableTest {
  private final Counter splits = new Counter("p2m_splits");
  private final List<Long> changed = new ArrayList<>();
  private P2mTable p2m;

  @BeforeEach
  void twoBlocks() {
    p2m = new P2mTable(1024, splits);
    p2m.attach(new Mmu() {
      @Override
      public VcpuMmu vcpu(VcpuContext vcpu) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void p2mChanged(long gppn) {
        changed.add(gppn);
      }
    });
  }

  @Test
  void statesAreCountedAsEntriesChange() {
    assertThat(p2m.pages()).isEqualTo(1024);
    assertThat(p2m.statePages(P2mEntry.UNBACKED)).isEqualTo(1024);
    p2m.set(1, P2mEntry.mapped(10));
    p2m.set(2, P2mEntry.of(P2mEntry.SHARED, 20, 1));
    p2m.set(3, P2mEntry.of(P2mEntry.SWAPPED, 5, 1));
    assertThat(p2m.statePages(P2mEntry.UNBACKED)).isEqualTo(1021);
    assertThat(p2m.statePages(P2mEntry.MAPPED)).isEqualTo(1);
    assertThat(p2m.statePages(P2mEntry.SHARED)).isEqualTo(1);
    assertThat(p2m.statePages(P2mEntry.SWAPPED)).isEqualTo(1);
    assertThat(p2m.backedPages()).isEqualTo(2);
    p2m.set(1, P2mEntry.of(P2mEntry.SWAPPED, 6, 1));
    assertThat(p2m.statePages(P2mEntry.MAPPED)).isZero();
    assertThat(p2m.statePages(P2mEntry.SWAPPED)).isEqualTo(2);
    assertThat(p2m.backedPages()).isEqualTo(1);
    assertThat(p2m.get(1)).isEqualTo(P2mEntry.of(P2mEntry.SWAPPED, 6, 1));
  }

  @Test
  void onlyAChangeOfAnEntryWithAFrameIsTold() {
    p2m.set(1, P2mEntry.mapped(10));
    p2m.set(2, P2mEntry.of(P2mEntry.SWAPPED, 5, 1));
    assertThat(changed).isEmpty();
    p2m.set(1, P2mEntry.of(P2mEntry.SHARED, 20, 1));
    p2m.set(2, P2mEntry.mapped(11));
    p2m.set(1, 0);
    assertThat(changed).containsExactly(1L, 1L);
  }

  @Test
  void theAccessedBitsOfTheTwoReadersAreKeptApart() {
    p2m.set(1, P2mEntry.mapped(10));
    p2m.markAccessed(1);
    assertThat(P2mEntry.accessed(p2m.forTechniques(1))).isTrue();
    assertThat(P2mEntry.accessed(p2m.forPolicy(1))).isTrue();
    // The policy clears its copy: the technique's stays, and cached translations go.
    p2m.armSample(1);
    assertThat(changed).containsExactly(1L);
    assertThat(P2mEntry.accessed(p2m.forPolicy(1))).isFalse();
    assertThat(P2mEntry.accessed(p2m.forTechniques(1))).isTrue();
    assertThat(P2mEntry.value(p2m.forPolicy(1))).isEqualTo(10);
    // A technique rewrites the entry: the policy's cleared bit stays cleared.
    p2m.set(1, P2mEntry.mapped(10) | P2mEntry.ACCESSED);
    assertThat(P2mEntry.accessed(p2m.forPolicy(1))).isFalse();
    p2m.clearAccessed(1);
    assertThat(changed).containsExactly(1L, 1L, 1L);
    assertThat(P2mEntry.accessed(p2m.forTechniques(1))).isFalse();
    assertThat(P2mEntry.accessed(p2m.forPolicy(1))).isFalse();
    // A walk sets both.
    p2m.markAccessed(1);
    assertThat(P2mEntry.accessed(p2m.forTechniques(1))).isTrue();
    assertThat(P2mEntry.accessed(p2m.forPolicy(1))).isTrue();
    assertThat(p2m.forTechniques(1) & P2mTable.SAMPLE_ARMED).isZero();
  }

  @Test
  void clearingABitOfAnEntryWithNoFrameTellsNoOne() {
    p2m.set(3, P2mEntry.of(P2mEntry.SWAPPED, 5, 1));
    p2m.clearAccessed(3);
    p2m.armSample(3);
    p2m.clearAccessed(4);
    assertThat(changed).isEmpty();
    assertThat(P2mEntry.accessed(p2m.forPolicy(3))).isFalse();
    assertThat(p2m.forTechniques(3)).isEqualTo(P2mEntry.of(P2mEntry.SWAPPED, 5, 1));
  }

  @Test
  void aLargeMappingIsMadeWholeAndSplitOnTheFirstSmallChange() {
    p2m.armSample(512 + 7);
    assertThat(p2m.blockUnbacked(512)).as("a sampled but unbacked page").isTrue();
    p2m.mapLarge(512, 4096);
    assertThat(p2m.statePages(P2mEntry.MAPPED)).isEqualTo(512);
    assertThat(p2m.statePages(P2mEntry.UNBACKED)).isEqualTo(512);
    for (int i = 0; i < 512; i++) {
      long e = p2m.get(512 + i);
      assertThat(P2mEntry.large(e)).isTrue();
      assertThat(P2mEntry.value(e)).isEqualTo(4096 + i);
      assertThat(P2mEntry.state(e)).isEqualTo(P2mEntry.MAPPED);
    }
    assertThat(P2mEntry.accessed(p2m.forPolicy(512 + 7))).as("the policy's armed bit survives").isFalse();
    assertThat(P2mEntry.accessed(p2m.forPolicy(512 + 8))).isTrue();
    assertThat(p2m.blockUnbacked(512)).isFalse();
    assertThat(changed).isEmpty();
    p2m.set(512 + 9, P2mEntry.of(P2mEntry.SWAPPED, 1, 1));
    assertThat(splits.get()).isEqualTo(1);
    // The whole 2 MiB translation goes first, then the page's own.
    assertThat(changed).containsExactly(512L, 512L + 9);
    for (int i = 0; i < 512; i++) {
      assertThat(P2mEntry.large(p2m.get(512 + i))).isFalse();
    }
    assertThat(P2mEntry.value(p2m.get(512 + 10))).isEqualTo(4096 + 10);
    // Already small: no second split.
    p2m.set(512 + 11, 0);
    assertThat(splits.get()).isEqualTo(1);
    // A large entry written as large again is no split either.
    p2m.mapLarge(0, 8192);
    p2m.set(3, p2m.get(3));
    assertThat(splits.get()).isEqualTo(1);
  }

  @Test
  void aBlockIsUnbackedOnlyIfEveryPageIsAndItFitsInTheVm() {
    assertThat(p2m.blockUnbacked(0)).isTrue();
    assertThat(p2m.blockUnbacked(512)).isTrue();
    assertThat(p2m.blockUnbacked(1024)).as("past the VM's last page").isFalse();
    assertThat(new P2mTable(1023, splits).blockUnbacked(512)).as("one page short").isFalse();
    p2m.set(511, P2mEntry.of(P2mEntry.BALLOONED, 0, 1));
    assertThat(p2m.blockUnbacked(0)).isFalse();
    p2m.set(511, 0);
    p2m.markAccessed(5);
    assertThat(p2m.blockUnbacked(0)).as("an accessed bit is not a backing").isTrue();
  }

  @Test
  void aRangeIsCountedByStateAcrossChunksMadeAndNot() {
    p2m.set(3, P2mEntry.mapped(10));
    p2m.set(600, P2mEntry.mapped(11));
    p2m.set(601, P2mEntry.of(P2mEntry.SWAPPED, 1, 1));
    assertThat(p2m.statePages(0, 1024, P2mEntry.MAPPED)).isEqualTo(2);
    assertThat(p2m.statePages(4, 1024, P2mEntry.MAPPED)).isEqualTo(1);
    assertThat(p2m.statePages(0, 600, P2mEntry.MAPPED)).isEqualTo(1);
    assertThat(p2m.statePages(0, 1024, P2mEntry.SWAPPED)).isEqualTo(1);
    assertThat(p2m.statePages(0, 1024, P2mEntry.UNBACKED)).isEqualTo(1021);
    assertThat(p2m.statePages(0, 1024, P2mEntry.UNBACKED)).isEqualTo(p2m.statePages(P2mEntry.UNBACKED));
  }
}
