package org.memvirt.reclaim.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real kernel as the oracle: each layout is built in this machine's memory, merged by
 * Linux's ksmd, and built in memvirt; every counter must agree at every printed point. The
 * kernel runs at smart_scan 0 with its other defaults; every KSM setting this changes is
 * saved first and restored after. Runs as root where {@code /sys/kernel/mm/ksm} is writable,
 * nothing else uses KSM, and {@code cc} compiles the probe; otherwise it says why in one line
 * and is skipped.
 */
class KernelKsmTest {
  private static final Path KSM = Path.of("/sys/kernel/mm/ksm");
  /** What the test sets, in the order it sets them (max_page_sharing only with nothing merged). */
  private static final Map<String, String> SETTINGS = settings();
  private static final Map<String, String> saved = new LinkedHashMap<>();
  private static Path probe;

  private static Map<String, String> settings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("run", "2"); // unmerge everything, so that max_page_sharing may change
    s.put("advisor_mode", "none");
    s.put("smart_scan", "0");
    s.put("pages_to_scan", "100");
    s.put("sleep_millisecs", "20");
    s.put("max_page_sharing", "256");
    s.put("use_zero_pages", "0");
    s.put("merge_across_nodes", "1");
    s.put("stable_node_chains_prune_millisecs", "2000");
    return s;
  }

  static Stream<KsmLayout> layouts() {
    return KsmLayouts.all().stream();
  }

  @BeforeAll
  static void takeTheKernel() throws Exception {
    String why = whyNot();
    if (why != null) {
      System.out.println("KernelKsmTest skipped: " + why);
      Assumptions.abort(why);
    }
    for (String key : SETTINGS.keySet()) {
      String value = Files.readString(KSM.resolve(key)).trim();
      if (key.equals("advisor_mode")) {
        value = value.substring(value.indexOf('[') + 1, value.indexOf(']'));
      }
      saved.put(key, value);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(KernelKsmTest::restore));
    for (Map.Entry<String, String> e : SETTINGS.entrySet()) {
      write(e.getKey(), e.getValue());
    }
    write("run", "1");
  }

  @AfterAll
  static void restore() {
    synchronized (saved) {
      if (saved.isEmpty()) {
        return;
      }
      try {
        write("run", "2");
        for (Map.Entry<String, String> e : saved.entrySet()) {
          if (!e.getKey().equals("run")) {
            write(e.getKey(), e.getValue());
          }
        }
        write("run", saved.get("run"));
        saved.clear();
      } catch (IOException e) {
        throw new IllegalStateException("could not restore KSM's settings " + saved + ": " + e.getMessage(), e);
      }
    }
  }

  /** Why the kernel cannot be the oracle here, or null. */
  private static String whyNot() throws IOException, InterruptedException {
    if (!Files.isDirectory(KSM)) {
      return "no " + KSM + " (not Linux, or a kernel without CONFIG_KSM)";
    }
    if (!Files.isWritable(KSM.resolve("run")) || !"root".equals(System.getProperty("user.name"))) {
      return KSM + " is not writable (run as root)";
    }
    for (String key : List.of("pages_shared", "pages_sharing", "pages_unshared", "pages_volatile")) {
      if (!Files.readString(KSM.resolve(key)).trim().equals("0")) {
        return "KSM is in use on this machine (" + key + " is not 0); its merged pages are left alone";
      }
    }
    Path source = Path.of("src/test/native/ksm_probe.c");
    probe = Path.of("target/ksm_probe");
    Files.createDirectories(probe.getParent());
    Process cc;
    try {
      cc = new ProcessBuilder("cc", "-O2", "-Wall", "-o", probe.toString(), source.toString()).redirectErrorStream(true)
          .start();
    } catch (IOException e) {
      return "no C compiler (cc) to build " + source;
    }
    String out = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (cc.waitFor() != 0) {
      throw new IllegalStateException("cc could not compile " + source + ": " + out);
    }
    return null;
  }

  private static void write(String key, String value) throws IOException {
    Files.writeString(KSM.resolve(key), value);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layouts")
  void memvirtCountsAsTheKernelDoes(KsmLayout layout) throws Exception {
    Map<String, Map<String, Long>> kernel = KsmLayout.parse(runOnTheKernel(layout));
    Map<String, Map<String, Long>> memvirt = layout.simulate();
    assertThat(memvirt).as("%s: memvirt (actual) against the kernel (expected)", layout).isEqualTo(kernel);
  }

  private static List<String> runOnTheKernel(KsmLayout layout) throws Exception {
    startClean();
    Process p = new ProcessBuilder(probe.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (var in = p.outputWriter(StandardCharsets.US_ASCII)) {
      for (String line : layout.script()) {
        in.write(line);
        in.write('\n');
      }
    }
    List<String> lines = new ArrayList<>(
        new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).lines().toList());
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(layout + ": ksm_probe failed (exit " + p.exitValue() + ")");
    }
    return lines;
  }

  /**
   * A probe that exits leaves its rmap items and stable nodes to ksmd (stale chains linger
   * until a search meets them): unmerge everything, wait until KSM tracks nothing, start again.
   */
  private static void startClean() throws Exception {
    write("run", "2");
    for (int i = 0; i < 3000; i++) {
      boolean clean = true;
      for (String key : List.of("general_profit", "pages_shared", "pages_sharing", "pages_unshared", "pages_volatile",
          "stable_node_chains", "stable_node_dups")) {
        clean &= Files.readString(KSM.resolve(key)).trim().equals("0");
      }
      if (clean) {
        write("run", "1");
        return;
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("KSM still tracks pages 15 s after run=2");
  }
}
