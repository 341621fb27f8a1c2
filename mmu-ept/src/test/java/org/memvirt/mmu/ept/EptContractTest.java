package org.memvirt.mmu.ept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memvirt.api.MetricNames;
import org.memvirt.api.mmu.Mmu;
import org.memvirt.api.mmu.MmuContext;
import org.memvirt.api.mmu.MmuFactory;
import org.memvirt.api.mmu.VcpuContext;
import org.memvirt.api.mmu.VcpuMmu;
import org.memvirt.testkit.MmuContract;

/**
 * Nested paging keeps the MMU contract: every access, under random guest tables and P2M
 * changes, is what a reference walk gives, with the nested walk caches and nested TLB on
 * or off as the seed draws them; and a 2D walk never costs less than the native one.
 */
class EptContractTest {
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
  void everyAccessSeesTheGuestTablesAndTheP2mAsTheyAreNow(long seed) {
    MmuContract.Report r = MmuContract.verify(new EptMmuFactory(), Map.of(), seed);
    assertThat(r.accesses()).isGreaterThan(200);
    assertThat(r.guestFaults()).isPositive().isLessThan(r.accesses());
    assertThat(r.machine().count(MetricNames.WALK_REFS))
        .isGreaterThanOrEqualTo(r.machine().count(MetricNames.NATIVE_WALK_REFS));
  }

  /** An MMU that forgets to drop what a P2M change invalidates fails the contract, naming the access. */
  @Test
  void anMmuThatIgnoresP2mChangesFailsTheContract() {
    MmuFactory forgetful = new MmuFactory() {
      @Override
      public String name() {
        return "forgetful";
      }

      @Override
      public Mmu create(MmuContext context) {
        Mmu ept = new EptMmuFactory().create(context);
        return new Mmu() {
          @Override
          public VcpuMmu vcpu(VcpuContext vcpu) {
            return ept.vcpu(vcpu);
          }

          @Override
          public void p2mChanged(long gppn) {
            // forgets: the TLB keeps the old frame
          }
        };
      }
    };
    assertThatThrownBy(() -> {
      for (long seed = 1; seed <= 16; seed++) {
        MmuContract.verify(forgetful, Map.of(), seed);
      }
    }).isInstanceOf(AssertionError.class).hasMessageStartingWith("MMU contract, seed 1, step ");
  }
}
