package org.memvirt.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.memvirt.api.ApiVersion;
import org.memvirt.api.MemvirtPlugin;
import org.memvirt.api.PluginDescriptor;
import org.memvirt.api.SettingInfo;
import org.memvirt.api.Techniques;
import org.memvirt.api.policy.AllocationPolicy;
import org.memvirt.api.policy.AllocationPolicyFactory;
import org.memvirt.api.policy.PolicyContext;

/** The plugin check passes a plugin that describes itself and names what is wrong with one that does not. */
class PluginCheckTest {
  private record Policy(String name, String description, List<SettingInfo> settings)
      implements AllocationPolicyFactory {
    @Override
    public AllocationPolicy create(PolicyContext context) {
      throw new UnsupportedOperationException();
    }
  }

  private record Plugin(String key, AllocationPolicyFactory factory, String api, List<String> provides)
      implements MemvirtPlugin {
    @Override
    public void configure(com.google.inject.Binder binder) {
      Techniques.policies(binder).addBinding(key).toInstance(factory);
    }

    @Override
    public PluginDescriptor descriptor() {
      return new PluginDescriptor("p", "1.0", api, provides);
    }
  }

  private static Plugin plugin(AllocationPolicyFactory f) {
    return new Plugin("even", f, ApiVersion.COMPILED, List.of("policy:even"));
  }

  private static final SettingInfo PERIOD = new SettingInfo("period", "1s", "how often");

  @Test
  void aWellDescribedPluginPasses() {
    PluginCheck.Report r = PluginCheck.verify(plugin(new Policy("even", "equal shares", List.of(PERIOD))));
    assertThat(r.descriptions()).containsExactly(java.util.Map.entry("policy:even", "equal shares"));
    assertThat(r.descriptor().id()).isEqualTo("p");
  }

  @Test
  void eachFaultIsNamed() {
    assertThatThrownBy(() -> PluginCheck.verify(plugin(new Policy("odd", "x", List.of()))))
        .hasMessage("policy:even: the factory's name() is 'odd'");
    assertThatThrownBy(() -> PluginCheck.verify(plugin(new Policy("even", " ", List.of()))))
        .hasMessage("policy:even: no description()");
    assertThatThrownBy(() -> PluginCheck.verify(plugin(new Policy("even", "x", List.of(PERIOD, PERIOD)))))
        .hasMessage("policy:even: setting period is listed twice");
    assertThatThrownBy(() -> PluginCheck.verify(plugin(new Policy("even", "x",
        List.of(new SettingInfo("period", "1s", ""))))))
        .hasMessage("policy:even: setting period has no meaning");
    assertThatThrownBy(() -> PluginCheck.verify(new Plugin("even", new Policy("even", "x", List.of()),
        ApiVersion.COMPILED, List.of("policy:even", "policy:other"))))
        .hasMessage("p: the descriptor provides [policy:even, policy:other] but the plugin binds [policy:even]");
    assertThatThrownBy(() -> PluginCheck.verify(new Plugin("even", new Policy("even", "x", List.of()), "9.0.0",
        List.of("policy:even")))).hasMessageStartingWith("p: built for api 9.0.0, the runtime has api ");
    // As the engine judges it: another major version is refused (api 1.0 changed the MMU interface).
    assertThatThrownBy(() -> PluginCheck.verify(new Plugin("even", new Policy("even", "x", List.of()), "0.8.0",
        List.of("policy:even")))).hasMessageEndingWith("(major versions differ)");
  }

  @Test
  void aPluginThatBindsNothingItDoesNotListPasses() {
    MemvirtPlugin empty = new MemvirtPlugin() {
      @Override
      public void configure(com.google.inject.Binder binder) {}

      @Override
      public PluginDescriptor descriptor() {
        return new PluginDescriptor("empty", "1", ApiVersion.COMPILED, List.of());
      }
    };
    assertThat(PluginCheck.verify(empty).descriptions()).isEmpty();
  }
}
