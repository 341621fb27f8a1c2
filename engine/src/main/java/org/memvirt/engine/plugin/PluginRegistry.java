package org.memvirt.engine.plugin;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.Stage;
import com.google.inject.util.Types;
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
 * directly. Refuses, with a one-line reason, a plugin whose api version does not fit, a
 * second plugin with the same id, and a jar with no plugin in it. Two plugins providing
 * the same technique name are a conflict that fails every run, naming both.
 */
public final class PluginRegistry {
  private final List<LoadedPlugin> plugins;
  private final List<RefusedPlugin> refused;
  private final List<String> conflicts;
  private Injector injector;
  private Map<String, MmuFactory> mmus;
  private Map<String, WorkloadFactory> workloads;
  private Map<String, ReclaimerFactory> reclaimers;
  private Map<String, AllocationPolicyFactory> policies;

  private PluginRegistry(List<LoadedPlugin> plugins, List<RefusedPlugin> refused) {
    this.plugins = plugins;
    this.refused = refused;
    this.conflicts = findConflicts(plugins);
  }

  /** Discovers plugins on the class path and in {@code pluginDirs}; adds {@code extra}. */
  public static PluginRegistry discover(List<Path> pluginDirs, List<MemvirtPlugin> extra) {
    List<LoadedPlugin> plugins = new ArrayList<>();
    List<RefusedPlugin> refused = new ArrayList<>();
    ClassLoader app = PluginRegistry.class.getClassLoader();
    load(ServiceLoader.load(MemvirtPlugin.class, app), null, plugins, refused);
    for (Path dir : pluginDirs) {
      for (Path entry : entries(dir, refused)) {
        loadExternal(entry, app, plugins, refused);
      }
    }
    for (MemvirtPlugin p : extra) {
      accept(p, "given in code (" + p.getClass().getName() + ")", plugins, refused);
    }
    return new PluginRegistry(plugins, refused);
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
    out.removeIf(p -> !(Files.isDirectory(p) || p.getFileName().toString().endsWith(".jar")));
    return out;
  }

  private static void loadExternal(Path entry, ClassLoader app, List<LoadedPlugin> plugins,
      List<RefusedPlugin> refused) {
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
        refused.add(new RefusedPlugin(jar.toString(), "not a readable jar (" + e.getMessage() + ")"));
        return;
      }
    }
    URLClassLoader loader = new URLClassLoader("plugin:" + entry.getFileName(), urls.toArray(URL[]::new),
        new ApiOnlyClassLoader(app));
    int before = plugins.size() + refused.size();
    load(ServiceLoader.load(MemvirtPlugin.class, loader), entry.toString(), plugins, refused);
    if (plugins.size() + refused.size() == before) {
      refused.add(new RefusedPlugin(entry.toString(),
          "no plugin registered in META-INF/services/" + MemvirtPlugin.class.getName()));
    }
  }

  private static void load(ServiceLoader<MemvirtPlugin> loader, String source, List<LoadedPlugin> plugins,
      List<RefusedPlugin> refused) {
    var it = loader.stream().iterator();
    while (true) {
      ServiceLoader.Provider<MemvirtPlugin> provider;
      try {
        if (!it.hasNext()) {
          return;
        }
        provider = it.next();
      } catch (ServiceConfigurationError | LinkageError e) {
        refused.add(new RefusedPlugin(source == null ? "class path" : source, oneLine(e)));
        return;
      }
      String where = source != null ? source : sourceOf(provider.type());
      try {
        accept(provider.get(), where, plugins, refused);
      } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
        refused.add(new RefusedPlugin(where, provider.type().getName() + ": " + oneLine(e)));
      }
    }
  }

  private static void accept(MemvirtPlugin plugin, String source, List<LoadedPlugin> plugins,
      List<RefusedPlugin> refused) {
    PluginDescriptor d = plugin.descriptor();
    String why = ApiVersion.incompatibility(d.apiVersion(), ApiVersion.runtime());
    if (why != null) {
      refused.add(new RefusedPlugin(source, "plugin " + d.id() + " " + d.version() + ": " + why));
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
        refused.add(new RefusedPlugin(source, "plugin id " + d.id() + " is already loaded from " + other.source()));
        return;
      }
    }
    plugins.add(new LoadedPlugin(d, source, plugin));
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
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }

  private static List<String> findConflicts(List<LoadedPlugin> plugins) {
    Map<String, LoadedPlugin> byTechnique = new TreeMap<>();
    List<String> out = new ArrayList<>();
    for (LoadedPlugin p : plugins) {
      for (String t : p.descriptor().provides()) {
        LoadedPlugin first = byTechnique.putIfAbsent(t, p);
        if (first != null) {
          out.add(t + " is provided by both " + first.descriptor().id() + " (" + first.source() + ") and "
              + p.descriptor().id() + " (" + p.source() + ")");
        }
      }
    }
    return out;
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
      throw new ExperimentException("plugins could not be wired: "
          + oneLine(e.getErrorMessages().iterator().next().getCause() != null
              ? e.getErrorMessages().iterator().next().getCause() : e));
    }
    mmus = map(MmuFactory.class, Techniques.Kind.MMU);
    workloads = map(WorkloadFactory.class, Techniques.Kind.WORKLOAD);
    reclaimers = map(ReclaimerFactory.class, Techniques.Kind.RECLAIM);
    policies = map(AllocationPolicyFactory.class, Techniques.Kind.POLICY);
  }

  @SuppressWarnings("unchecked")
  private <T> Map<String, T> map(Class<T> type, Techniques.Kind kind) {
    Map<String, T> bound = (Map<String, T>) injector.getInstance(Key.get(Types.mapOf(String.class, type)));
    for (String name : bound.keySet()) {
      if (plugins.stream().noneMatch(p -> p.descriptor().provides().contains(kind.provides(name)))) {
        throw new ExperimentException("a plugin binds " + kind.provides(name)
            + " without listing it in its descriptor's provides");
      }
    }
    return new TreeMap<>(bound);
  }

  public Map<String, MmuFactory> mmus() {
    wire();
    return mmus;
  }

  public Map<String, WorkloadFactory> workloads() {
    wire();
    return workloads;
  }

  public Map<String, ReclaimerFactory> reclaimers() {
    wire();
    return reclaimers;
  }

  public Map<String, AllocationPolicyFactory> policies() {
    wire();
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
