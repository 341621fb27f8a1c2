package org.memvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin template and the Proxmox example are compiled as their own builds would
 * (against the api, with AutoService writing the service entry), packaged into jars, and
 * loaded through {@code --plugins}: what docs/plugins.md tells a plugin author to do.
 */
class PluginExamplesTest {
  private static final Path EXAMPLES = Path.of("..", "examples");

  @TempDir
  Path tmp;

  /** Compiles {@code example}'s main sources into a jar in a folder of its own; returns the folder. */
  private Path build(String example) throws IOException {
    Path classes = Files.createDirectories(tmp.resolve(example + "-classes"));
    List<String> sources = new ArrayList<>();
    try (Stream<Path> files = Files.walk(EXAMPLES.resolve(example).resolve("src/main/java"))) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> sources.add(f.toString()));
    }
    List<String> args = new ArrayList<>(List.of("--release", "17", "-d", classes.toString(),
        "-classpath", System.getProperty("java.class.path"),
        "-processorpath", System.getProperty("java.class.path")));
    args.addAll(sources);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac.run(null, null, null, args.toArray(String[]::new))).as("javac on " + example).isZero();
    Path dir = Files.createDirectories(tmp.resolve(example + "-plugins"));
    try (OutputStream out = Files.newOutputStream(dir.resolve(example + ".jar"));
        JarOutputStream jar = new JarOutputStream(out); Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        jar.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        jar.write(Files.readAllBytes(f));
        jar.closeEntry();
      }
    }
    return dir;
  }

  @Test
  void theTemplateBuildsLoadsAndRunsEachOfItsKinds() throws Exception {
    Path plugins = build("plugin-template");
    CliTest.Outcome list = CliTest.memvirt("plugins", "--plugins", plugins.toString());
    assertThat(list.code()).as(list.out()).isZero();
    assertThat(list.out()).contains("my-memvirt-plugin 1.0.0 (api " + org.memvirt.api.ApiVersion.COMPILED + ")", "policy:equal-split",
        "reclaim:discard-free", "workload:stride");
    Path experiment = tmp.resolve("template.yaml");
    Files.writeString(experiment, """
        duration: 5s
        verify: true
        host: {memory: 48MiB, reclaim_period: 200ms}
        policy: {type: equal-split, period: 1s}
        reclaim: {discard-free: {}, swap: {}}
        vms:
          - name: a
            memory: 32MiB
            processes:
              - workload: {type: stride, footprint: 24MiB, stride: 4KiB, rate: 50K/s, accesses: 60K}
              - workload: {type: uniform, footprint: 8MiB, rate: 20K/s}
          - name: b
            memory: 32MiB
            processes: [{workload: {type: stride, footprint: 20MiB, stride: 8KiB, rate: 50K/s}}]
        """);
    CliTest.Outcome run = CliTest.memvirt("run", experiment.toString(), "--plugins", plugins.toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("SZTGT");
  }

  @Test
  void theProxmoxPolicyBuildsLoadsAndRunsItsExperiment() throws Exception {
    Path plugins = build("plugin-autoballoon");
    CliTest.Outcome list = CliTest.memvirt("plugins", "--plugins", plugins.toString());
    assertThat(list.code()).as(list.out()).isZero();
    assertThat(list.out()).contains("proxmox-autoballoon 1.0.0", "policy:proxmox-autoballoon");
    CliTest.Outcome run = CliTest.memvirt("run", EXAMPLES.resolve("plugin-autoballoon/autoballoon.yaml").toString(),
        "--plugins", plugins.toString(), "--set", "duration=60s", "--format", "csv");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("idle", "busy");
  }
}
