package org.memvirt.policy.shares;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.memvirt.testkit.PluginCheck;

/** The plugin describes itself as the engine and `memvirt plugins` expect. */
class PoliciesPluginTest {
  @Test
  void itListsWhatItBindsAndDescribesEachFactory() {
    PluginCheck.Report r = PluginCheck.verify(new PoliciesPlugin());
    assertThat(r.descriptor().id()).isEqualTo("policy-shares");
    assertThat(r.descriptor().version()).isNotBlank();
    assertThat(r.descriptions()).containsOnlyKeys("policy:shares", "policy:static", "policy:working-set");
  }
}
