package org.memvirt.testkit;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.util.Types;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.memvirt.api.ApiVersion;
import org.memvirt.api.MemvirtPlugin;
import org.memvirt.api.MetricInfo;
import org.memvirt.api.PluginDescriptor;
import org.memvirt.api.SettingInfo;
import org.memvirt.api.Techniques;
import org.memvirt.api.mmu.CostEntry;
import org.memvirt.api.mmu.MmuFactory;
import org.memvirt.api.policy.AllocationPolicyFactory;
import org.memvirt.api.reclaim.ReclaimerFactory;
import org.memvirt.api.workload.WorkloadFactory;

/**
 * What the engine checks of a plugin when it loads it, and what its users read in
 * {@code memvirt plugins}, checked in the plugin's own tests: the descriptor names the
 * plugin, its version and an api the api on the class path can run, and lists exactly what it binds;
 * each factory's name is its binding key; it describes itself, and its settings, per-VM
 * settings, costs (with their source) and metrics each have a unique name and a meaning.
 */
public final class PluginCheck {
  private PluginCheck() {}

  /** What a plugin binds, by {@code kind:name}, with each factory's description. */
  public record Report(PluginDescriptor descriptor, Map<String, String> descriptions) {}

  /** Checks {@code plugin}; throws {@link AssertionError} naming the first thing wrong. */
  public static Report verify(MemvirtPlugin plugin) {
    PluginDescriptor d = plugin.descriptor();
    require(!d.id().isBlank(), "the descriptor has no id");
    require(!d.version().isBlank(), d.id() + ": the descriptor has no version");
    // As the engine decides: the api on the class path now, not the one this check was compiled against.
    String incompatible = ApiVersion.incompatibility(d.apiVersion(), ApiVersion.runtime());
    require(incompatible == null, d.id() + ": " + incompatible);
    Injector injector = Guice.createInjector(plugin);
    Map<String, String> descriptions = new TreeMap<>();
    for (Techniques.Kind kind : Techniques.Kind.values()) {
      Key<?> key = Key.get(Types.mapOf(String.class, kind.factoryType()));
      if (injector.getExistingBinding(key) == null) {
        continue;
      }
      Map<?, ?> bound = (Map<?, ?>) injector.getInstance(key);
      for (Map.Entry<?, ?> b : bound.entrySet()) {
        String provides = kind.provides((String) b.getKey());
        Described f = Described.of(b.getValue());
        require(f.name().equals(b.getKey()), provides + ": the factory's name() is '" + f.name() + "'");
        require(!f.description().isBlank(), provides + ": no description()");
        unique(provides, "setting", f.settings().stream().map(SettingInfo::key).toList(),
            f.settings().stream().map(SettingInfo::meaning).toList());
        unique(provides, "per-VM setting", f.vmSettings().stream().map(SettingInfo::key).toList(),
            f.vmSettings().stream().map(SettingInfo::meaning).toList());
        unique(provides, "cost", f.costs().stream().map(CostEntry::key).toList(),
            f.costs().stream().map(CostEntry::source).toList());
        unique(provides, "metric", f.metrics().stream().map(MetricInfo::name).toList(),
            f.metrics().stream().map(MetricInfo::meaning).toList());
        descriptions.put(provides, f.description());
      }
    }
    require(Set.copyOf(d.provides()).equals(descriptions.keySet()) && d.provides().size() == descriptions.size(),
        d.id() + ": the descriptor provides " + d.provides() + " but the plugin binds " + descriptions.keySet());
    return new Report(d, descriptions);
  }

  private static void unique(String provides, String what, List<String> names, List<String> meanings) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      require(names.get(i) != null && !names.get(i).isBlank(), provides + ": a " + what + " with no name");
      require(seen.add(names.get(i)), provides + ": " + what + " " + names.get(i) + " is listed twice");
      require(meanings.get(i) != null && !meanings.get(i).isBlank(),
          provides + ": " + what + " " + names.get(i) + " has no meaning");
    }
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError(what);
    }
  }

  /** The self-description every kind of factory gives, whatever its kind. */
  private record Described(String name, String description, List<SettingInfo> settings,
      List<SettingInfo> vmSettings, List<CostEntry> costs, List<MetricInfo> metrics) {
    static Described of(Object factory) {
      if (factory instanceof MmuFactory f) {
        return new Described(f.name(), f.description(), f.settings(), List.of(), f.costs(), f.metrics());
      }
      if (factory instanceof ReclaimerFactory f) {
        return new Described(f.name(), f.description(), f.settings(), f.vmSettings(), f.costs(), f.metrics());
      }
      if (factory instanceof AllocationPolicyFactory f) {
        return new Described(f.name(), f.description(), f.settings(), List.of(), f.costs(), f.metrics());
      }
      WorkloadFactory f = (WorkloadFactory) factory;
      return new Described(f.name(), f.description(), f.settings(), List.of(), f.costs(), f.metrics());
    }
  }
}
