package org.memvirt.engine.plugin;

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
import java.util.zip.ZipFile;
import org.memvirt.api.ApiVersion;
import org.memvirt.api.MemvirtPlugin;
import org.memvirt.api.PluginDescriptor;

/**
 * Loading and admission: every {@link MemvirtPlugin} on the class path (registered for
 * {@link ServiceLoader}), every jar in a plugin folder and every folder of jars in it (each
 * in its own class loader whose parent serves only the api), and any given directly; each
 * admitted or refused with a one-line reason naming where it came from.
 */
final class PluginLoader {
  private final ClassLoader app;
  private final List<LoadedPlugin> plugins = new ArrayList<>();
  private final List<RefusedPlugin> refused = new ArrayList<>();
  private final Map<LoadedPlugin, Map<String, Object>> factories = new LinkedHashMap<>();

  PluginLoader(ClassLoader app) {
    this.app = app;
  }

  List<LoadedPlugin> plugins() {
    return plugins;
  }

  List<RefusedPlugin> refused() {
    return refused;
  }

  /** Each admitted plugin's factories, by {@code kind:name}. */
  Map<LoadedPlugin, Map<String, Object>> factories() {
    return factories;
  }

  /** The plugins on the class path. */
  void loadClassPath() {
    load(ServiceLoader.load(MemvirtPlugin.class, app), null);
  }

  /** The jars, and folders of jars, in plugin folder {@code dir}. */
  void loadFolder(Path dir) {
    for (Path entry : entries(dir)) {
      loadExternal(entry);
    }
  }

  private List<Path> entries(Path dir) {
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

  private void loadExternal(Path entry) {
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
    load(ServiceLoader.load(MemvirtPlugin.class, loader), entry.toString());
    if (plugins.size() + refused.size() == before) {
      refused.add(new RefusedPlugin(entry.toString(),
          "no plugin registered in META-INF/services/" + MemvirtPlugin.class.getName()));
    }
  }

  private void load(ServiceLoader<MemvirtPlugin> loader, String source) {
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
        admit(provider.get(), where);
      } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
        refused.add(new RefusedPlugin(where, provider.type().getName() + ": " + oneLine(e), List.of(), e));
      }
    }
  }

  /**
   * Admits {@code plugin}, found at {@code source}, or refuses it in one line: an api
   * version that does not fit, a {@code provides} not of the form kind:name, a second
   * plugin with the same id, a module that cannot be wired or whose bindings, factory names
   * and descriptor disagree.
   */
  void admit(MemvirtPlugin plugin, String source) {
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

}
