package org.memvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and the pages under docs/ link to files that exist and to headings that are
 * there (as GitHub names a heading's anchor), so that a chapter moved from one page to
 * another leaves no link behind.
 */
class DocumentationLinksTest {
  private static final Path ROOT = Path.of("..");
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

  @Test
  void everyRelativeLinkAndAnchorResolves() throws IOException {
    List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path doc : docs) {
      boolean code = false;
      List<String> lines = Files.readAllLines(doc);
      for (int n = 0; n < lines.size(); n++) {
        String line = lines.get(n);
        if (line.startsWith("```")) {
          code = !code;
        }
        if (code) {
          continue;
        }
        Matcher m = LINK.matcher(line);
        while (m.find()) {
          String target = m.group(1);
          if (target.matches("[a-z]+:.*")) {
            continue;
          }
          checked++;
          int hash = target.indexOf('#');
          String file = hash < 0 ? target : target.substring(0, hash);
          Path resolved = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
          if (!Files.exists(resolved)) {
            broken.add(doc + ":" + (n + 1) + ": " + target + " (no such file)");
          } else if (hash >= 0 && resolved.toString().endsWith(".md")
              && !anchors(resolved).contains(target.substring(hash + 1))) {
            broken.add(doc + ":" + (n + 1) + ": " + target + " (no such heading)");
          }
        }
      }
    }
    assertThat(checked).isGreaterThan(50);
    assertThat(broken).isEmpty();
  }

  /** GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces as dashes. */
  private static Set<String> anchors(Path page) throws IOException {
    Set<String> anchors = new HashSet<>();
    boolean code = false;
    for (String line : Files.readAllLines(page)) {
      if (line.startsWith("```")) {
        code = !code;
      }
      if (!code && line.startsWith("#")) {
        String t = line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT).replaceAll("[`*_]", "")
            .replaceAll("[^a-z0-9 -]", "").replace(' ', '-');
        anchors.add(t);
      }
    }
    return anchors;
  }
}
