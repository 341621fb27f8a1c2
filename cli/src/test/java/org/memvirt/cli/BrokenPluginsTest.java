package org.memvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken plugin jars, built here as an author would, meet one line each and exit code 2. */
class BrokenPluginsTest {
  @TempDir
  Path tmp;

  /** A jar of one plugin class in package {@code p}, its module's body {@code configure}, providing {@code provides}. */
  private Path jar(String id, String provides, String configure, String extra) throws Exception {
    Path src = Files.createDirectories(tmp.resolve(id + "-src/p"));
    Files.writeString(src.resolve("Plugin.java"), """
        package p;

        import com.google.auto.service.AutoService;
        import com.google.inject.AbstractModule;
        import java.util.List;
        import org.memvirt.api.*;
        import org.memvirt.api.workload.*;

        @AutoService(MemvirtPlugin.class)
        public final class Plugin extends AbstractModule implements MemvirtPlugin {
          @Override
          protected void configure() {
            %s
          }

          @Override
          public PluginDescriptor descriptor() {
            return new PluginDescriptor("%s", "1.0", ApiVersion.COMPILED, List.of("%s"));
          }
          %s
        }
        """.formatted(configure, id, provides, extra));
    Path classes = Files.createDirectories(tmp.resolve(id + "-classes"));
    assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d", classes.toString(),
        "-classpath", System.getProperty("java.class.path"), "-processorpath", System.getProperty("java.class.path"),
        src.resolve("Plugin.java").toString())).isZero();
    Path dir = Files.createDirectories(tmp.resolve(id + "-plugins"));
    Path jar = dir.resolve(id + ".jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        j.write(Files.readAllBytes(f));
        j.closeEntry();
      }
    }
    return jar;
  }

  private Path experiment(String workload) throws Exception {
    Path f = tmp.resolve("exp.yaml");
    Files.writeString(f, """
        duration: 1s
        vms:
          - {name: a, memory: 64MiB, processes: [{workload: {type: %s}}]}
        """.formatted(workload));
    return f;
  }

  @Test
  void aModuleThatThrowsIsRefusedAndARunNamingItsTechniqueSaysWhy() throws Exception {
    Path jar = jar("gups-plugin", "workload:gups", "throw new IllegalStateException(\"no license server\");", "");
    String dir = jar.getParent().toString();
    CliTest.Outcome list = CliTest.memvirt("plugins", "--plugins", dir);
    assertThat(list.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(list.out()).contains("refused: " + jar + ": plugin gups-plugin: its Guice module could not be wired: "
        + "no license server").doesNotContain("p.Plugin.configure");
    assertThat(CliTest.memvirt("plugins", "--plugins", dir, "--debug").out()).contains("p.Plugin.configure(Plugin.java");
    CliTest.Outcome run = CliTest.memvirt("run", experiment("gups").toString(), "--plugins", dir);
    assertThat(run.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(run.err().lines().toList()).singleElement().asString()
        .contains("workload.type: expected a known workload (")
        .endsWith("; workload 'gups' is provided by " + jar + ", which was refused: plugin gups-plugin: its Guice "
            + "module could not be wired: no license server, got 'gups'");
  }

  /**
   * A jar that cannot be read at all: a run that needs nothing of it warns in one line; a run
   * naming a technique no loaded plugin provides lists the refused jars in its error.
   */
  @Test
  void anUnreadableJarIsAWarningAndNamedWhereATechniqueIsMissing() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("plugins"));
    Path broken = Files.write(dir.resolve("broken.jar"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    CliTest.Outcome run = CliTest.memvirt("run", experiment("uniform, footprint: 1MiB").toString(), "--plugins",
        dir.toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.err()).isEqualTo("memvirt: warning: 1 plugin jar was refused: " + broken + " (not a readable jar "
        + "(zip END header not found)) (see 'memvirt plugins')\n");
    CliTest.Outcome missing = CliTest.memvirt("run", experiment("gups").toString(), "--plugins", dir.toString());
    assertThat(missing.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(missing.err().lines().toList()).singleElement().asString()
        .contains("workload.type: expected a known workload (")
        .contains("; no plugin loaded provides it, and 1 plugin jar was refused: " + broken + " (not a readable jar");
  }

  @Test
  void aFactoryThatThrowsWhenTheRunStartsIsOneLineNamingThePluginAndItsJar() throws Exception {
    Path jar = jar("boom-plugin", "workload:boom",
        "Techniques.workloads(binder()).addBinding(\"boom\").toInstance(new Boom());", """
          static final class Boom implements WorkloadFactory {
            @Override
            public String name() {
              return "boom";
            }

            @Override
            public Workload create(WorkloadContext context) {
              throw new IllegalArgumentException("the trace server is down");
            }
          }
        """);
    CliTest.Outcome run = CliTest.memvirt("run", experiment("boom").toString(), "--plugins", jar.getParent().toString());
    assertThat(run.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(run.err()).isEqualTo("memvirt: workload 'boom' (plugin boom-plugin, " + jar
        + ") failed to start: IllegalArgumentException: the trace server is down" + System.lineSeparator());
  }
}
