package org.memvirt.policy.shares;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memvirt.api.policy.AllocationPolicyFactory;
import org.memvirt.testkit.FakeClock;
import org.memvirt.testkit.FakeHostMemory;
import org.memvirt.testkit.FakePolicyContext;
import org.memvirt.testkit.FakeVm;
import org.memvirt.testkit.MapSettings;
import org.memvirt.testkit.PolicyContract;

/** The three policies keep the contract every policy keeps; bad settings are refused in one line. */
class PoliciesContractTest {
  @Test
  void sharesKeepsTheContract() {
    PolicyContract.Report r = PolicyContract.verify(new SharesPolicyFactory(),
        Map.of("sample", Map.of("period", "5000000000")));
    assertThat(r.targets()).isNotEmpty();
    PolicyContract.verify(new SharesPolicyFactory(), Map.of("tax", "0"));
  }

  @Test
  void workingSetKeepsTheContract() {
    assertThat(PolicyContract.verify(new WorkingSetPolicyFactory(),
        Map.of("sample", Map.of("period", "5000000000"))).targets()).isNotEmpty();
  }

  @Test
  void staticKeepsTheContractWhereTheVmsFitAndRefusesOvercommitment() {
    FakeHostMemory host = new FakeHostMemory(4096);
    List<FakeVm> vms = List.of(new FakeVm(0, "a", 2048, 0, 2048, 1000, -1, host),
        new FakeVm(1, "b", 4096, 0, 4096, 1000, -1, host));
    host.attach(vms);
    assertThatThrownBy(() -> new StaticPolicyFactory().create(new FakePolicyContext(new MapSettings(Map.of()), host,
        List.copyOf(vms), new FakeClock(), 1))).hasMessageContaining("static").hasMessageContaining("24MiB")
        .hasMessageContaining("16MiB");
  }

  @Test
  void badSettingsAreRefusedNamingTheKey() {
    for (AllocationPolicyFactory f : List.of(new SharesPolicyFactory(), new WorkingSetPolicyFactory())) {
      assertThatThrownBy(() -> create(f, Map.of("sample", Map.of("pages", "0")))).hasMessageContaining("pages");
      assertThatThrownBy(() -> create(f, Map.of("sample", Map.of("period", "0")))).hasMessageContaining("period");
      assertThatThrownBy(() -> create(f, Map.of("period", "0"))).hasMessageContaining("period");
    }
    assertThatThrownBy(() -> create(new SharesPolicyFactory(), Map.of("tax", "1"))).hasMessageContaining("tax");
    assertThatThrownBy(() -> create(new SharesPolicyFactory(), Map.of("tax", "-0.1"))).hasMessageContaining("tax");
    assertThatThrownBy(() -> create(new WorkingSetPolicyFactory(), Map.of("buffer", "-1")))
        .hasMessageContaining("buffer");
  }

  private static void create(AllocationPolicyFactory f, Map<String, Object> settings) {
    FakeHostMemory host = new FakeHostMemory(64);
    FakeVm vm = new FakeVm(0, "a", 32, 0, 32, 1000, -1, host);
    host.attach(List.of(vm));
    f.create(new FakePolicyContext(new MapSettings(settings), host, List.of(vm), new FakeClock(), 1));
  }
}
