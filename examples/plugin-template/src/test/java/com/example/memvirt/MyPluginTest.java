package com.example.memvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memvirt.testkit.PluginCheck;
import org.memvirt.testkit.PolicyContract;
import org.memvirt.testkit.ReclaimerContract;

/** The contract suites every policy and reclaimer keeps, run on fakes: no engine needed. */
class MyPluginTest {
  @Test
  void thePluginListsWhatItBindsAndDescribesIt() {
    PluginCheck.Report r = PluginCheck.verify(new MyPlugin());
    assertEquals(java.util.Set.of("policy:equal-split", "reclaim:discard-free", "workload:stride"),
        r.descriptions().keySet());
  }

  @Test
  void thePolicyKeepsThePolicyContract() {
    assertTrue(!PolicyContract.verify(new EqualSplitPolicyFactory(), Map.of()).targets().isEmpty());
  }

  @Test
  void theReclaimerKeepsTheReclaimerContract() {
    ReclaimerContract.Report r = ReclaimerContract.verify(new DiscardFreeFactory(), Map.of());
    assertTrue(r.freed() > 0, "it frees the frames of the pages the guests freed");
  }
}
