package org.memvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus of malformed inputs in {@code src/test/resources/bad-inputs}: every case must be
 * refused with its exit code (2 unless it says), exactly one line on stderr that matches the
 * case's pattern (and so names the file, line and key where there is one), no stack trace,
 * and nothing created or changed in its folder (special files, links and folders included).
 *
 * <p>A case file holds {@code args:} (the command line; {@code {dir}} is the case's folder),
 * {@code stderr:} (a regular expression the line must contain, after {@code {dir}} is
 * replaced), optionally {@code exit:}, then the files to make, each after a line
 * {@code --- NAME} (its text follows), {@code --- fifo NAME}, {@code --- folder NAME},
 * {@code --- link NAME -> TARGET}, {@code --- bytes NAME HEX}, {@code --- random NAME N}
 * (N seeded random bytes) or {@code --- repeat NAME N TEXT} (TEXT, where \n is a new line,
 * repeated N times).
 */
class BadInputCorpusTest {
  @TempDir
  Path dir;

  record Case(String name, List<String> args, String stderr, int exit, List<String> files) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() throws IOException, URISyntaxException {
    Path corpus = Path.of(BadInputCorpusTest.class.getResource("/bad-inputs").toURI());
    try (Stream<Path> files = Files.list(corpus)) {
      return files.filter(f -> f.toString().endsWith(".case")).sorted().map(BadInputCorpusTest::parse).toList()
          .stream();
    }
  }

  static Case parse(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      List<String> args = null;
      String stderr = null;
      int exit = Main.BAD_INPUT;
      int i = 0;
      for (; i < lines.size() && !lines.get(i).startsWith("--- "); i++) {
        String l = lines.get(i);
        if (l.startsWith("args:")) {
          args = List.of(l.substring(5).trim().split(" +"));
        } else if (l.startsWith("stderr:")) {
          stderr = l.substring(7).trim();
        } else if (l.startsWith("exit:")) {
          exit = Integer.parseInt(l.substring(5).trim());
        }
      }
      assertThat(args).as(file + ": args").isNotNull();
      assertThat(stderr).as(file + ": stderr").isNotNull();
      String name = file.getFileName().toString().replace(".case", "");
      return new Case(name, args, stderr, exit, lines.subList(i, lines.size()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isRefusedInOneLineAndChangesNothing(Case c) throws Exception {
    make(c.files());
    Map<String, String> before = snapshot(dir);
    List<String> args = new ArrayList<>();
    c.args().forEach(a -> args.add(a.replace("{dir}", dir.toString())));
    CliTest.Outcome o = CliTest.memvirt(args.toArray(String[]::new));
    List<String> err = o.err().lines().toList();
    assertThat(o.code()).as(o.err()).isEqualTo(c.exit());
    assertThat(err).as("stderr").hasSize(1);
    assertThat(err.get(0)).startsWith("memvirt: ").doesNotContain("Exception", "\tat ", "internal error");
    assertThat(err.get(0)).containsPattern(Pattern.compile(c.stderr().replace("{dir}", Pattern.quote(dir.toString()))));
    assertThat(snapshot(dir)).as("the case's folder").isEqualTo(before);
  }

  /** Makes the case's files in its folder. */
  private void make(List<String> spec) throws Exception {
    int i = 0;
    while (i < spec.size()) {
      String[] head = spec.get(i).substring(4).split(" ", 2);
      i++;
      String named = head.length > 1 ? head[1].split(" ")[0] : head[0];
      Files.createDirectories(dir.resolve(named).getParent());
      switch (head[0]) {
        case "fifo" -> {
          Process p = new ProcessBuilder("mkfifo", dir.resolve(head[1]).toString()).start();
          assertThat(p.waitFor()).isZero();
        }
        case "folder" -> Files.createDirectories(dir.resolve(head[1]));
        case "link" -> {
          String[] parts = head[1].split(" -> ");
          Files.createSymbolicLink(dir.resolve(parts[0]), Path.of(parts[1]));
        }
        case "bytes" -> {
          String[] parts = head[1].split(" ");
          Files.write(dir.resolve(parts[0]), java.util.HexFormat.of().parseHex(parts[1]));
        }
        case "random" -> {
          String[] parts = head[1].split(" ");
          byte[] b = new byte[Integer.parseInt(parts[1])];
          new java.util.Random(7).nextBytes(b);
          Files.write(dir.resolve(parts[0]), b);
        }
        case "repeat" -> {
          String[] parts = head[1].split(" ", 3);
          Files.writeString(dir.resolve(parts[0]), parts[2].replace("\\n", "\n").repeat(Integer.parseInt(parts[1])));
        }
        default -> {
          StringBuilder text = new StringBuilder();
          while (i < spec.size() && !spec.get(i).startsWith("--- ")) {
            text.append(spec.get(i).replace("{dir}", dir.toString())).append('\n');
            i++;
          }
          Path f = dir.resolve(head[0]);
          Files.createDirectories(f.getParent());
          Files.writeString(f, text, StandardCharsets.UTF_8);
        }
      }
    }
  }

  /** Every path under {@code root}, not following links: its kind, size, time and content. */
  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> s = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.toList()) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String what = a.isSymbolicLink() ? "link to " + Files.readSymbolicLink(p)
            : a.isDirectory() ? "folder" : a.isOther() ? "special"
            : "file " + a.size() + " " + a.lastModifiedTime() + " " + java.util.Arrays.hashCode(Files.readAllBytes(p));
        s.put(root.relativize(p).toString(), what);
      }
    }
    return s;
  }
}
