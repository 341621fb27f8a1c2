package org.memvirt.engine.plugin;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Stage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.memvirt.api.MemvirtPlugin;
import org.memvirt.api.Techniques;
import org.memvirt.api.mmu.MmuFactory;
import org.memvirt.api.policy.AllocationPolicyFactory;
import org.memvirt.api.reclaim.ReclaimerFactory;
import org.memvirt.api.workload.WorkloadFactory;
import org.memvirt.engine.config.ExperimentException;

/**
 * The catalog of techniques the plugins provide, by kind and name: {@link PluginLoader}
 * finds and admits the plugins (and says which it refused and why), each wired alone
 * ({@link PluginWiring}). Two plugins providing the same technique name are a conflict:
 * the name is left out, and a run naming it fails naming both; {@link #whyMissing} says
 * why a name is not there.
 */
public final class PluginRegistry {
  private final List<LoadedPlugin> plugins;
  private final List<RefusedPlugin> refused;
  private final List<String> conflicting = new ArrayList<>();
  private final Map<String, String> conflictMessages = new TreeMap<>();
  private final List<String> conflicts;
  private Injector injector;
  private final Map<String, MmuFactory> mmus;
  private final Map<String, WorkloadFactory> workloads;
  private final Map<String, ReclaimerFactory> reclaimers;
  private final Map<String, AllocationPolicyFactory> policies;

  private PluginRegistry(List<LoadedPlugin> plugins, List<RefusedPlugin> refused,
      Map<LoadedPlugin, Map<String, Object>> factories) {
    this.plugins = plugins;
    this.refused = refused;
    this.conflicts = findConflicts(plugins);
    // Every technique once; a name two plugins provide is left out (a run naming it fails).
    Map<String, Object> all = new TreeMap<>();
    factories.values().forEach(m -> m.forEach((name, f) -> {
      if (conflicting.stream().noneMatch(c -> c.equals(name))) {
        all.put(name, f);
      }
    }));
    this.mmus = byKind(all, Techniques.Kind.MMU, MmuFactory.class);
    this.reclaimers = byKind(all, Techniques.Kind.RECLAIM, ReclaimerFactory.class);
    this.policies = byKind(all, Techniques.Kind.POLICY, AllocationPolicyFactory.class);
    this.workloads = byKind(all, Techniques.Kind.WORKLOAD, WorkloadFactory.class);
  }

  private static <T> Map<String, T> byKind(Map<String, Object> all, Techniques.Kind kind, Class<T> type) {
    Map<String, T> out = new TreeMap<>();
    String prefix = kind.provides("");
    all.forEach((name, f) -> {
      if (name.startsWith(prefix)) {
        out.put(name.substring(prefix.length()), type.cast(f));
      }
    });
    return java.util.Collections.unmodifiableMap(out);
  }

  /** Discovers plugins on the class path and in {@code pluginDirs}; adds {@code extra}. */
  public static PluginRegistry discover(List<Path> pluginDirs, List<MemvirtPlugin> extra) {
    PluginLoader loader = new PluginLoader(PluginRegistry.class.getClassLoader());
    loader.loadClassPath();
    for (Path dir : pluginDirs) {
      loader.loadFolder(dir);
    }
    for (MemvirtPlugin p : extra) {
      loader.admit(p, "given in code (" + p.getClass().getName() + ")");
    }
    return new PluginRegistry(loader.plugins(), loader.refused(), loader.factories());
  }

  /** The plugins on the class path only. */
  public static PluginRegistry discover() {
    return discover(List.of(), List.of());
  }

  private List<String> findConflicts(List<LoadedPlugin> plugins) {
    Map<String, LoadedPlugin> byTechnique = new TreeMap<>();
    List<String> out = new ArrayList<>();
    for (LoadedPlugin p : plugins) {
      for (String t : p.descriptor().provides()) {
        LoadedPlugin first = byTechnique.putIfAbsent(t, p);
        if (first != null) {
          String c = t + " is provided by both " + first.descriptor().id() + " (" + first.source() + ") and "
              + p.descriptor().id() + " (" + p.source() + ")";
          out.add(c);
          conflicting.add(t);
          conflictMessages.put(t, c);
        }
      }
    }
    return out;
  }

  /**
   * Why technique {@code kind:name} is not available: two plugins provide it, or the plugin
   * that does was refused; or, when no plugin said it provides it but some could not be
   * loaded (a jar that cannot be read says nothing of what it holds), which and why. Null
   * when nothing was refused.
   */
  public String whyMissing(Techniques.Kind kind, String name) {
    String t = kind.provides(name);
    if (conflictMessages.containsKey(t)) {
      return "plugin conflict: " + conflictMessages.get(t);
    }
    for (RefusedPlugin r : refused) {
      if (r.provides().contains(t)) {
        return kind.word() + " '" + name + "' is provided by " + r.source() + ", which was refused: " + r.reason();
      }
    }
    return refused.isEmpty() ? null : "no plugin loaded provides it, and " + refusedSummary();
  }

  /**
   * "2 plugin jars were refused: a.jar (not a readable jar: ...); b (...)": the refused
   * entries in one line, or null when none was.
   */
  public String refusedSummary() {
    if (refused.isEmpty()) {
      return null;
    }
    List<String> each = new ArrayList<>();
    refused.forEach(r -> each.add(r.source() + " (" + r.reason() + ")"));
    return (refused.size() == 1 ? "1 plugin jar was" : refused.size() + " plugin jars were") + " refused: "
        + String.join("; ", each);
  }

  /** The plugin whose factory provides {@code kind:name}, or null. */
  public LoadedPlugin providerOf(Techniques.Kind kind, String name) {
    String t = kind.provides(name);
    for (LoadedPlugin p : plugins) {
      if (p.descriptor().provides().contains(t)) {
        return p;
      }
    }
    return null;
  }

  public List<LoadedPlugin> plugins() {
    return List.copyOf(plugins);
  }

  public List<RefusedPlugin> refused() {
    return List.copyOf(refused);
  }

  /** Technique names provided by more than one plugin, one line each. */
  public List<String> conflicts() {
    return List.copyOf(conflicts);
  }

  /** The combined injector of every plugin, built when a library user asks for it. */
  private synchronized void wire() {
    if (injector != null) {
      return;
    }
    if (!conflicts.isEmpty()) {
      throw new ExperimentException("plugin conflict: " + conflicts.get(0));
    }
    List<Module> modules = new ArrayList<>();
    modules.add(binder -> {
      Techniques.mmus(binder);
      Techniques.workloads(binder);
      Techniques.reclaimers(binder);
      Techniques.policies(binder);
    });
    plugins.forEach(p -> modules.add(p.module()));
    try {
      injector = Guice.createInjector(Stage.PRODUCTION, modules);
    } catch (com.google.inject.CreationException e) {
      throw new ExperimentException("plugins could not be wired together: "
          + PluginWiring.oneLine(e.getErrorMessages().iterator().next().getCause() != null
              ? e.getErrorMessages().iterator().next().getCause() : e));
    }
  }

  public Map<String, MmuFactory> mmus() {
    return mmus;
  }

  public Map<String, WorkloadFactory> workloads() {
    return workloads;
  }

  public Map<String, ReclaimerFactory> reclaimers() {
    return reclaimers;
  }

  public Map<String, AllocationPolicyFactory> policies() {
    return policies;
  }

  /** The injector, for library users who bind services of their own. */
  public Injector injector() {
    wire();
    return injector;
  }

  /** Descriptions of every technique, by {@code kind:name}, for listings. */
  public Map<String, String> descriptions() {
    Map<String, String> out = new LinkedHashMap<>();
    mmus().forEach((k, v) -> out.put("mmu:" + k, v.description()));
    reclaimers().forEach((k, v) -> out.put("reclaim:" + k, v.description()));
    policies().forEach((k, v) -> out.put("policy:" + k, v.description()));
    workloads().forEach((k, v) -> out.put("workload:" + k, v.description()));
    return out;
  }

}
