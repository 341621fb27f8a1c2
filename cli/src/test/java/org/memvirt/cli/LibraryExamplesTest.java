package org.memvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding example compiles and runs as the README shows it; the BOM names every module at its version. */
class LibraryExamplesTest {
  private static final Path ROOT = Path.of("..");
  private static final Path EMBED = ROOT.resolve("examples/embedding/src/main/java/org/example/embedding/Embed.java");

  @TempDir
  Path tmp;

  @Test
  void theEmbeddingExampleCompilesAndRunsAndIsTheReadmesSnippet() throws Exception {
    String source = Files.readString(EMBED);
    assertThat(Files.readString(ROOT.resolve("README.md"))).contains("```java\n" + source + "```");
    int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d",
        tmp.toString(), "-classpath", System.getProperty("java.class.path"), EMBED.toString());
    assertThat(compiled).isZero();
    PrintStream stdout = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {tmp.toUri().toURL()}, getClass().getClassLoader())) {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      loader.loadClass("org.example.embedding.Embed").getMethod("main", String[].class)
          .invoke(null, (Object) new String[0]);
    } finally {
      System.setOut(stdout);
    }
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("2.0 s, ").containsPattern("web: slowdown \\d+\\.\\d{3}, 3 samples");
  }
}
