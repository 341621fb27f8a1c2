package org.memvirt.mmu.shadow;

import java.util.Map;
import org.memvirt.api.mmu.Mmu;
import org.memvirt.api.mmu.VcpuMmu;
import org.memvirt.testkit.FakeMachine;

/** A shadow MMU over a fake machine with one vCPU, for tests: boot it, then build guest tables by hand. */
abstract class ShadowRig {
  FakeMachine fm;
  Mmu mmu;
  VcpuMmu cpu;
  FakeMachine.MapTlb tlb;

  /** A new machine with {@code settings}; its vCPU runs a new, empty root table, which is returned. */
  long boot(Map<String, Object> settings) {
    fm = new FakeMachine(4).withSettings(settings);
    mmu = new ShadowMmuFactory().create(fm);
    tlb = new FakeMachine.MapTlb();
    cpu = mmu.vcpu(fm.vcpu(tlb));
    long root = fm.newTable();
    cpu.loadCr3(root);
    return root;
  }
}
