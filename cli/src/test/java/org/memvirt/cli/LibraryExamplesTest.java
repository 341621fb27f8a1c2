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

/** The embedding example compiles and runs as docs/library.md shows it; the BOM names every module at its version. */
class LibraryExamplesTest {
  private static final Path ROOT = Path.of("..");
  private static final Path EMBED = ROOT.resolve("examples/embedding/src/main/java/org/example/embedding/Embed.java");
  private static final Path STUDY = ROOT.resolve("examples/embedding/src/main/java/org/example/embedding/Study.java");

  @TempDir
  Path tmp;

  @Test
  void theEmbeddingExampleCompilesAndRunsAndIsTheReadmesSnippet() throws Exception {
    assertThat(run(EMBED, "org.example.embedding.Embed")).contains("2.0 s, ")
        .containsPattern("web: slowdown \\d+\\.\\d{3}, 3 samples");
  }

  /** A sweep and a fit from Java: two footprints over three seeds, and 7 copies of 8 MiB on a 64 MiB host. */
  @Test
  void theStudyExampleRunsASweepAndAFitAndIsTheReadmesSnippet() throws Exception {
    String out = run(STUDY, "org.example.embedding.Study");
    assertThat(out).containsPattern("\\{vms\\[0\\]\\.processes\\[0\\]\\.workload\\.footprint=32MiB\\}: slowdown "
        + "\\d+\\.\\d{3} \\+- \\d+\\.\\d{3} over 3 seeds")
        .contains("8 copies: host out of memory", "fit: 7 copies of web");
  }

  /** Compiles {@code source} against this class path, checks docs/library.md shows it word for word, runs it, returns its output. */
  private String run(Path source, String main) throws Exception {
    String text = Files.readString(source);
    assertThat(Files.readString(ROOT.resolve("docs/library.md"))).contains("```java\n" + text + "```");
    int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d",
        tmp.toString(), "-classpath", System.getProperty("java.class.path"), source.toString());
    assertThat(compiled).isZero();
    PrintStream stdout = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {tmp.toUri().toURL()}, getClass().getClassLoader())) {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      loader.loadClass(main).getMethod("main", String[].class).invoke(null, (Object) new String[0]);
    } finally {
      System.setOut(stdout);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
