package org.memvirt.mmu.shadow;

import java.util.Map;
import org.memvirt.api.mmu.Mmu;
import org.memvirt.testkit.FakeMachine;
import org.memvirt.testkit.FakeVcpu;
import org.memvirt.testkit.MapTlb;
import org.memvirt.testkit.MapWalkCache;

/** A shadow MMU over a fake machine with one vCPU, for tests: boot it, then build guest tables by hand. */
abstract class ShadowRig {
  FakeMachine fm;
  Mmu mmu;
  FakeVcpu cpu;
  MapTlb tlb;
  MapWalkCache walkCaches;

  /** A new machine with {@code settings}; its vCPU runs a new, empty root table, which is returned. */
  long boot(Map<String, Object> settings) {
    return boot(settings, false);
  }

  /** As {@link #boot(Map)}, with an unbounded walk cache for the vCPU when {@code walkCache}. */
  long boot(Map<String, Object> settings, boolean walkCache) {
    fm = new FakeMachine(4).withSettings(settings);
    walkCaches = new MapWalkCache(walkCache ? 1 : 0);
    fm.withWalkCaches(walkCaches, new MapWalkCache(0), new MapWalkCache(0));
    mmu = new ShadowMmuFactory().create(fm);
    tlb = newTlb();
    cpu = new FakeVcpu(fm, mmu, tlb);
    long root = fm.newTable();
    cpu.mmu().loadCr3(root);
    return root;
  }

  /** The vCPU's TLB (a test may record what happens to it). */
  MapTlb newTlb() {
    return new MapTlb();
  }
}
