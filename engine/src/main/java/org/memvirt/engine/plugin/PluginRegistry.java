package org.memvirt.engine.plugin;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Stage;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.zip.ZipFile;
import org.memvirt.api.ApiVersion;
import org.memvirt.api.MemvirtPlugin;
import org.memvirt.api.PluginDescriptor;
import org.memvirt.api.Techniques;
import org.memvirt.api.mmu.MmuFactory;
import org.memvirt.api.policy.AllocationPolicyFactory;
import org.memvirt.api.reclaim.ReclaimerFactory;
import org.memvirt.api.workload.WorkloadFactory;
import org.memvirt.engine.config.ExperimentException;

/**
 * Finds plugins and wires them: every {@link MemvirtPlugin} on the class path (registered
 * for {@link ServiceLoader}), every jar in a plugin directory and every folder of jars in
 * it (each in its own class loader whose parent serves only the api), plus any given
 * directly. Each plugin is wired alone ({@link PluginWiring}). Refuses, with a one-line
 * reason naming the jar, a plugin whose api version does not fit, a second plugin with the
 * same id, a jar with no plugin in it, and a plugin that cannot be wired or whose bindings,
 * factory names and descriptor disagree. Two plugins providing the same technique name are
 * a conflict: the name is left out, and a run naming it fails naming both.
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
    List<LoadedPlugin> plugins = new ArrayList<>();
    List<RefusedPlugin> refused = new ArrayList<>();
    Map<LoadedPlugin, Map<String, Object>> factories = new LinkedHashMap<>();
    ClassLoader app = PluginRegistry.class.getClassLoader();
    load(ServiceLoader.load(MemvirtPlugin.class, app), null, plugins, refused, factories);
    for (Path dir : pluginDirs) {
      for (Path entry : entries(dir, refused)) {
        loadExternal(entry, app, plugins, refused, factories);
      }
    }
    for (MemvirtPlugin p : extra) {
      accept(p, "given in code (" + p.getClass().getName() + ")", plugins, refused, factories);
    }
    return new PluginRegistry(plugins, refused, factories);
  }

  /** The plugins on the class path only. */
  public static PluginRegistry discover() {
    return discover(List.of(), List.of());
  }

  private static List<Path> entries(Path dir, List<RefusedPlugin> refused) {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      if (Files.exists(dir)) {
        refused.add(new RefusedPlugin(dir.toString(), "not a directory"));
      }
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      s.forEach(out::add);
    } catch (IOException e) {
      refused.add(new RefusedPlugin(dir.toString(), "cannot list: " + e.getMessage()));
    }
    Collections.sort(out);
    for (Path p : out) {
      String name = p.getFileName().toString();
      if (!Files.isDirectory(p) && !name.endsWith(".jar") && !name.startsWith(".")) {
        refused.add(new RefusedPlugin(p.toString(), "not a jar (a plugins folder holds .jar files and folders of them)"));
      }
    }
    out.removeIf(p -> !(Files.isDirectory(p) || p.getFileName().toString().endsWith(".jar")));
    return out;
  }

  private static void loadExternal(Path entry, ClassLoader app, List<LoadedPlugin> plugins,
      List<RefusedPlugin> refused, Map<LoadedPlugin, Map<String, Object>> factories) {
    List<Path> jars = new ArrayList<>();
    if (Files.isDirectory(entry)) {
      try (DirectoryStream<Path> s = Files.newDirectoryStream(entry, "*.jar")) {
        s.forEach(jars::add);
      } catch (IOException e) {
        refused.add(new RefusedPlugin(entry.toString(), "cannot list: " + e.getMessage()));
        return;
      }
      Collections.sort(jars);
      if (jars.isEmpty()) {
        refused.add(new RefusedPlugin(entry.toString(), "folder has no jar in it"));
        return;
      }
    } else {
      jars.add(entry);
    }
    List<URL> urls = new ArrayList<>();
    for (Path jar : jars) {
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        urls.add(jar.toUri().toURL());
      } catch (IOException e) {
        refused.add(new RefusedPlugin(jar.toString(), "not a readable jar (" + e.getMessage() + ")", List.of(), e));
        return;
      }
    }
    URLClassLoader loader = new URLClassLoader("plugin:" + entry.getFileName(), urls.toArray(URL[]::new),
        new ApiOnlyClassLoader(app));
    int before = plugins.size() + refused.size();
    load(ServiceLoader.load(MemvirtPlugin.class, loader), entry.toString(), plugins, refused, factories);
    if (plugins.size() + refused.size() == before) {
      refused.add(new RefusedPlugin(entry.toString(),
          "no plugin registered in META-INF/services/" + MemvirtPlugin.class.getName()));
    }
  }

  private static void load(ServiceLoader<MemvirtPlugin> loader, String source, List<LoadedPlugin> plugins,
      List<RefusedPlugin> refused, Map<LoadedPlugin, Map<String, Object>> factories) {
    var it = loader.stream().iterator();
    while (true) {
      ServiceLoader.Provider<MemvirtPlugin> provider;
      try {
        if (!it.hasNext()) {
          return;
        }
        provider = it.next();
      } catch (ServiceConfigurationError | LinkageError e) {
        refused.add(new RefusedPlugin(source == null ? "class path" : source, oneLine(e), List.of(), e));
        return;
      }
      String where = source != null ? source : sourceOf(provider.type());
      try {
        accept(provider.get(), where, plugins, refused, factories);
      } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
        refused.add(new RefusedPlugin(where, provider.type().getName() + ": " + oneLine(e), List.of(), e));
      }
    }
  }

  private static void accept(MemvirtPlugin plugin, String source, List<LoadedPlugin> plugins,
      List<RefusedPlugin> refused, Map<LoadedPlugin, Map<String, Object>> factories) {
    PluginDescriptor d = plugin.descriptor();
    String why = ApiVersion.incompatibility(d.apiVersion(), ApiVersion.runtime());
    if (why != null) {
      refused.add(new RefusedPlugin(source, "plugin " + d.id() + " " + d.version() + ": " + why, d.provides()));
      return;
    }
    for (String p : d.provides()) {
      if (!p.matches("(mmu|reclaim|policy|workload):[A-Za-z0-9_.-]+")) {
        refused.add(new RefusedPlugin(source, "plugin " + d.id() + ": provides '" + p
            + "', expected kind:name with kind mmu, reclaim, policy or workload"));
        return;
      }
    }
    for (LoadedPlugin other : plugins) {
      if (other.descriptor().id().equals(d.id())) {
        refused.add(new RefusedPlugin(source, "plugin id " + d.id() + " is already loaded from " + other.source(),
            d.provides()));
        return;
      }
    }
    LoadedPlugin loaded = new LoadedPlugin(d, source, plugin);
    PluginWiring.Result wired = PluginWiring.wire(loaded);
    if (wired.problem() != null) {
      refused.add(new RefusedPlugin(source, "plugin " + d.id() + ": " + wired.problem(), d.provides(), wired.cause()));
      return;
    }
    plugins.add(loaded);
    factories.put(loaded, wired.factories());
  }

  private static String sourceOf(Class<?> type) {
    CodeSource cs = type.getProtectionDomain().getCodeSource();
    if (cs == null || cs.getLocation() == null) {
      return "class path";
    }
    try {
      return Path.of(cs.getLocation().toURI()).toString();
    } catch (Exception e) {
      return cs.getLocation().toString();
    }
  }

  private static String oneLine(Throwable e) {
    return PluginWiring.oneLine(e);
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
          + oneLine(e.getErrorMessages().iterator().next().getCause() != null
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
