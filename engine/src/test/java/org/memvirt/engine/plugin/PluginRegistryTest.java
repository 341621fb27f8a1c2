package org.memvirt.engine.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memvirt.api.ApiVersion;
import org.memvirt.api.MemvirtPlugin;
import org.memvirt.api.PluginDescriptor;
import org.memvirt.api.Techniques;
import org.memvirt.api.mmu.MmuFactory;
import org.memvirt.api.workload.WorkloadFactory;
import org.memvirt.engine.config.ExperimentException;
import org.memvirt.engine.plugin.external.ExternalPlugin;
import org.memvirt.engine.report.RunResult;
import org.memvirt.engine.run.Experiments;

class PluginRegistryTest {
  @TempDir
  Path dir;

  @Test
  void findsTheBundledPluginsThroughServiceLoader() {
    PluginRegistry r = PluginRegistry.discover();
    assertThat(r.plugins()).extracting(p -> p.descriptor().id()).contains("mmu-ept", "workloads");
    assertThat(r.mmus()).containsKeys("ept");
    assertThat(r.workloads()).containsKeys("uniform", "zipf", "sequential", "phases", "idle");
    assertThat(r.refused()).isEmpty();
    LoadedPlugin ept = r.plugins().stream().filter(p -> p.descriptor().id().equals("mmu-ept")).findFirst().get();
    assertThat(ept.descriptor().apiVersion()).isEqualTo(ApiVersion.runtime());
    assertThat(ept.descriptor().provides()).containsExactly("mmu:ept");
  }

  @Test
  void unknownNamesFailWithTheKnownOnes() {
    assertThatThrownBy(() -> Experiments.validate(Experiments.load(null, List.of("mmu.type=agile")),
        PluginRegistry.discover()))
        .isInstanceOf(ExperimentException.class)
        .hasMessage("--set mmu.type: mmu.type: expected a known mmu (ept), got 'agile'");
    assertThatThrownBy(() -> Experiments.validate(
        Experiments.load(null, List.of("vms[1].processes[0].workload.type=gups")), PluginRegistry.discover()))
        .hasMessage("--set vms[1].processes[0].workload.type: vms[1].processes[0].workload.type: expected a known "
            + "workload (dedup-probe, idle, image, phases, sequential, uniform, zipf), got 'gups'");
  }

  @Test
  void loadsAnExternalJarInItsOwnClassLoader() throws Exception {
    Path jar = dir.resolve("external.jar");
    writeJar(jar, ExternalPlugin.class, true);
    PluginRegistry r = PluginRegistry.discover(List.of(dir), List.of());
    LoadedPlugin p = r.plugins().stream().filter(x -> x.descriptor().id().equals("external")).findFirst().orElseThrow();
    assertThat(p.source()).isEqualTo(jar.toString());
    assertThat(p.descriptor().version()).isEqualTo("2.3.4");
    WorkloadFactory f = r.workloads().get("external-touch");
    assertThat(f.getClass().getClassLoader()).isNotSameAs(ExternalPlugin.class.getClassLoader());
    // The jar's classes see the api but not the engine.
    ClassLoader loader = p.module().getClass().getClassLoader();
    assertThat(loader.loadClass("org.memvirt.api.Settings")).isSameAs(org.memvirt.api.Settings.class);
    assertThatThrownBy(() -> loader.loadClass(PluginRegistry.class.getName())).isInstanceOf(ClassNotFoundException.class);

    RunResult result = Experiments.run(Experiments.parse("""
        host: {memory: 64MiB}
        vms:
          - name: vm
            memory: 16MiB
            processes:
              - workload: {type: external-touch, pages: 10}
        """, "ext.yaml"), r);
    assertThat(result.vm("vm").metrics().get("pf_guest")).isEqualTo(10L);
  }

  @Test
  void refusesBadJarsWithOneLineReasons() throws Exception {
    Files.writeString(dir.resolve("broken.jar"), "not a zip");
    writeJar(dir.resolve("empty.jar"), ExternalPlugin.class, false);
    PluginRegistry r = PluginRegistry.discover(List.of(dir), List.of());
    assertThat(r.refused()).hasSize(2);
    assertThat(r.refused().get(0).source()).endsWith("broken.jar");
    assertThat(r.refused().get(0).reason()).startsWith("not a readable jar");
    assertThat(r.refused().get(1).source()).endsWith("empty.jar");
    assertThat(r.refused().get(1).reason()).isEqualTo("no plugin registered in META-INF/services/org.memvirt.api.MemvirtPlugin");
    assertThat(r.refused()).allSatisfy(x -> assertThat(x.reason()).doesNotContain("\n"));
    assertThat(r.mmus()).containsKey("ept");
  }

  @Test
  void refusesPluginsBuiltForAnotherApi() {
    PluginRegistry r = PluginRegistry.discover(List.of(), List.of(plugin("future", "1.99.0", "mmu:future"),
        plugin("old", "-1.0.0", "mmu:old"), plugin("next-major", "2.0.0", "mmu:nm"),
        plugin("walking-mmu", "0.8.0", "mmu:w")));
    assertThat(r.refused()).extracting(RefusedPlugin::reason).containsExactly(
        "plugin future 1.0: built for api 1.99.0, newer than the runtime's api " + ApiVersion.runtime(),
        "plugin old 1.0: api version '-1.0.0' is not of the form MAJOR.MINOR.PATCH",
        "plugin next-major 1.0: built for api 2.0.0, the runtime has api " + ApiVersion.runtime()
            + " (major versions differ)",
        // Api 1.0 moved the access loop out of the MMU interface: a 0.x plugin must be rebuilt.
        "plugin walking-mmu 1.0: built for api 0.8.0, the runtime has api " + ApiVersion.runtime()
            + " (major versions differ)");
  }

  @Test
  void aPluginWhoseBindingsFactoryNamesAndDescriptorDisagreeIsRefusedInOneLine() {
    MmuFactory ept = PluginRegistry.discover().mmus().get("ept");
    PluginRegistry r = PluginRegistry.discover(List.of(), List.of(
        module("unlisted", List.of("mmu:a"), b -> {
          Techniques.mmus(b).addBinding("a").toInstance(named("a"));
          Techniques.mmus(b).addBinding("b").toInstance(named("b"));
        }),
        module("misnamed", List.of("mmu:x"), b -> Techniques.mmus(b).addBinding("x").toInstance(ept)),
        module("unbound", List.of("mmu:c", "mmu:d"), b -> Techniques.mmus(b).addBinding("c").toInstance(named("c"))),
        module("throws", List.of("mmu:e"), b -> {
          throw new IllegalStateException("no license server");
        })));
    assertThat(r.refused()).extracting(RefusedPlugin::reason).containsExactly(
        "plugin unlisted: binds mmu:b without listing it in its descriptor's provides",
        "plugin misnamed: binds mmu:x to a factory whose name() is 'ept'; the binding key, the factory's name() and "
            + "provides must be one name",
        "plugin unbound: lists mmu:d in its descriptor's provides but binds no factory under that name",
        "plugin throws: its Guice module could not be wired: no license server");
    assertThat(r.refused()).allSatisfy(x -> assertThat(x.source()).startsWith("given in code"));
    // A run naming a technique only a refused plugin offered says where it went.
    assertThatThrownBy(() -> Experiments.run(Experiments.load(null, List.of("mmu.type=e", "duration=10ms")), r))
        .isInstanceOf(ExperimentException.class)
        .hasMessageContaining("mmu.type: expected a known mmu (ept); mmu 'e' is provided by given in code")
        .hasMessageContaining("which was refused: plugin throws: its Guice module could not be wired: no license server");
  }

  @Test
  void aFactoryThatFailsToStartEndsTheRunInOneLineNamingThePlugin() {
    PluginRegistry r = PluginRegistry.discover(List.of(), List.of(module("fragile", List.of("mmu:fragile"),
        b -> Techniques.mmus(b).addBinding("fragile").toInstance(new MmuFactory() {
          @Override
          public String name() {
            return "fragile";
          }

          @Override
          public org.memvirt.api.mmu.Mmu create(org.memvirt.api.mmu.MmuContext context) {
            throw new IllegalStateException("cannot map the frame table\n\tat somewhere");
          }
        }))));
    assertThatThrownBy(() -> Experiments.run(Experiments.load(null, List.of("mmu.type=fragile", "duration=10ms")), r))
        .isInstanceOf(ExperimentException.class)
        .hasMessageStartingWith("mmu 'fragile' (plugin fragile, given in code")
        .hasMessageEndingWith("failed to start: IllegalStateException: cannot map the frame table")
        .hasRootCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void aPluginsFolderReportsWhatIsNotAJar(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("README.txt"), "plugins go here");
    Files.writeString(dir.resolve(".keep"), "");
    PluginRegistry r = PluginRegistry.discover(List.of(dir), List.of());
    assertThat(r.refused()).singleElement().satisfies(x -> {
      assertThat(x.source()).endsWith("README.txt");
      assertThat(x.reason()).isEqualTo("not a jar (a plugins folder holds .jar files and folders of them)");
    });
  }

  private static MmuFactory named(String name) {
    MmuFactory ept = PluginRegistry.discover().mmus().get("ept");
    return new MmuFactory() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public org.memvirt.api.mmu.Mmu create(org.memvirt.api.mmu.MmuContext context) {
        return ept.create(context);
      }
    };
  }

  private static MemvirtPlugin module(String id, List<String> provides, com.google.inject.Module configure) {
    return new ModulePlugin(new PluginDescriptor(id, "1.0", ApiVersion.COMPILED, provides), configure);
  }

  private static final class ModulePlugin extends AbstractModule implements MemvirtPlugin {
    private final PluginDescriptor descriptor;
    private final com.google.inject.Module configure;

    ModulePlugin(PluginDescriptor descriptor, com.google.inject.Module configure) {
      this.descriptor = descriptor;
      this.configure = configure;
    }

    @Override
    protected void configure() {
      configure.configure(binder());
    }

    @Override
    public PluginDescriptor descriptor() {
      return descriptor;
    }
  }

  @Test
  void aSecondPluginWithTheSameIdIsRefused() {
    PluginRegistry r = PluginRegistry.discover(List.of(), List.of(plugin("mmu-ept", ApiVersion.COMPILED, "mmu:x")));
    assertThat(r.refused()).singleElement().satisfies(x ->
        assertThat(x.reason()).startsWith("plugin id mmu-ept is already loaded from "));
  }

  static MemvirtPlugin plugin(String id, String api, String provides) {
    return new NamedPlugin(new PluginDescriptor(id, "1.0", api, List.of(provides)));
  }

  private static final class NamedPlugin extends AbstractModule implements MemvirtPlugin {
    private final PluginDescriptor descriptor;

    NamedPlugin(PluginDescriptor descriptor) {
      this.descriptor = descriptor;
    }

    @Override
    protected void configure() {
      String name = descriptor.provides().get(0).substring("mmu:".length());
      Techniques.mmus(binder()).addBinding(name).toInstance(PluginRegistry.discover().mmus().get("ept"));
    }

    @Override
    public PluginDescriptor descriptor() {
      return descriptor;
    }
  }

  /** A jar with every class of {@code type}'s package (nested classes too), and its services entry. */
  private static void writeJar(Path jar, Class<?> type, boolean register) throws IOException, URISyntaxException {
    Path classes = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    String pkg = type.getPackageName().replace('.', '/');
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
        var files = Files.list(classes.resolve(pkg))) {
      for (Path f : files.sorted().toList()) {
        j.putNextEntry(new JarEntry(pkg + "/" + f.getFileName()));
        j.write(Files.readAllBytes(f));
        j.closeEntry();
      }
      if (register) {
        j.putNextEntry(new JarEntry("META-INF/services/" + MemvirtPlugin.class.getName()));
        j.write((type.getName() + "\n").getBytes(StandardCharsets.UTF_8));
        j.closeEntry();
      }
    }
  }
}
