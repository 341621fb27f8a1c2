package org.example.autoballoon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memvirt.testkit.FakeClock;
import org.memvirt.testkit.FakeHostMemory;
import org.memvirt.testkit.FakePolicyContext;
import org.memvirt.testkit.FakeVm;
import org.memvirt.testkit.MapSettings;
import org.memvirt.testkit.PolicyContract;

/** The policy contract, and Proxmox's rule on a host of fakes. */
class AutoBalloonPolicyTest {
  @Test
  void keepsThePolicyContract() {
    assertFalse(PolicyContract.verify(new AutoBalloonPolicyFactory(), Map.of()).targets().isEmpty());
  }

  /** A host of 100,000 frames, 95,000 in use: the goal is 80,000, so the VMs give 15,000 (at most 25,600 each). */
  @Test
  void anOverfullHostTakesTheGapFromTheVmsInProportionToTheirShares() {
    FakeHostMemory host = new FakeHostMemory(100_000);
    FakeVm a = new FakeVm(0, "a", 60_000, 0, 60_000, 1000, -1, host);
    FakeVm b = new FakeVm(1, "b", 60_000, 0, 60_000, 2000, -1, host);
    host.attach(List.of(a, b));
    for (long g = 0; g < 45_000; g++) {
      a.back(g, g + 1);
      b.back(g, g + 1);
    }
    for (int i = 0; i < 5_000; i++) {
      host.allocateHeld(); // 90,000 frames used by a and b, 5,000 by the host itself
    }
    new AutoBalloonPolicyFactory().create(new FakePolicyContext(new MapSettings(Map.of()), host, List.of(a, b),
        new FakeClock(), 1)).allocate(10_000_000_000L);
    // gap = 80,000 - 95,000 = -15,000: from what each has (45,000), a (1/3 of the shares)
    // gives 5,000 and b (2/3) 10,000.
    assertEquals(40_000, a.targetPages());
    assertEquals(35_000, b.targetPages());
  }
}
