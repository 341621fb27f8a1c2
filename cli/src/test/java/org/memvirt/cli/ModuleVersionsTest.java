package org.memvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Every version of a memvirt module that a pom, an example or a doc names is one the build
 * makes: what each module's own pom says. A new machine has nothing else to find them in.
 */
class ModuleVersionsTest {
  private static final Path ROOT = Path.of("..");
  /** artifactId (memvirt-api, ...) to the version its own pom gives it. */
  private static final Map<String, String> MADE = new LinkedHashMap<>();

  @BeforeAll
  static void readTheModulesPoms() throws Exception {
    Element root = pom(ROOT.resolve("pom.xml"));
    MADE.put(text(root, "artifactId"), text(root, "version"));
    for (Element module : children(child(root, "modules"), "module")) {
      Element pom = pom(ROOT.resolve(module.getTextContent().trim()).resolve("pom.xml"));
      MADE.put(text(pom, "artifactId"), text(pom, "version"));
    }
    assertThat(MADE).containsKeys("memvirt-bom", "memvirt-api", "memvirt-engine", "memvirt-cli", "memvirt-testkit");
  }

  @Test
  void theBomsPropertiesAreTheModulesOwnVersions() throws Exception {
    Element bom = pom(ROOT.resolve("bom/pom.xml"));
    Map<String, String> properties = new LinkedHashMap<>();
    for (Node n = child(bom, "properties").getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        properties.put(e.getTagName(), e.getTextContent().trim());
      }
    }
    Map<String, String> expected = new LinkedHashMap<>();
    MADE.forEach((artifact, version) -> {
      if (!artifact.equals("memvirt-parent") && !artifact.equals("memvirt-bench")
          && !artifact.equals("memvirt-integration-tests")) {
        expected.put(property(artifact), version);
      }
    });
    assertThat(properties).isEqualTo(expected);
    // And it manages every published module (itself aside) through them.
    List<String> managed = new ArrayList<>();
    for (Element d : children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
      managed.add(text(d, "artifactId"));
      assertThat(text(d, "version")).isEqualTo("${" + property(text(d, "artifactId")) + "}");
    }
    assertThat(managed).containsExactlyInAnyOrderElementsOf(
        expected.keySet().stream().map(p -> p.replaceFirst("^memvirt\\.(.*)\\.version$", "memvirt-$1"))
            .filter(a -> !a.equals("memvirt-bom")).toList());
  }

  @Test
  void everyPomNamesTheVersionsTheBuildMakes() throws IOException {
    List<String> named = new ArrayList<>();
    for (Path pom : files(ROOT, "pom.xml")) {
      String text = Files.readString(pom);
      // <parent> and <dependency> blocks: an artifactId of ours followed by its version.
      Matcher m = OURS_PATTERN
          .matcher(text);
      while (m.find()) {
        named.add(check(pom, m.group(1), m.group(2)));
      }
      // Coordinates (the invoker's extra artifacts) and version properties.
      named.addAll(coordinatesAndProperties(pom, text));
    }
    assertThat(named).as("versions named in poms").isNotEmpty();
  }

  @Test
  void everyDocNamesTheVersionsTheBuildMakes() throws IOException {
    List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    docs.addAll(files(ROOT.resolve("docs"), ".md"));
    docs.addAll(files(ROOT.resolve("examples"), ".md"));
    List<String> named = new ArrayList<>();
    for (Path doc : docs) {
      String text = Files.readString(doc);
      named.addAll(coordinatesAndProperties(doc, text));
      Matcher xml = OURS_PATTERN.matcher(text);
      while (xml.find()) {
        named.add(check(doc, xml.group(1), xml.group(2)));
      }
      // The distribution: memvirt-VERSION.tar.gz and the folder it unpacks to, the cli's version.
      Matcher dist = Pattern.compile("memvirt-([0-9][0-9.]*[0-9])(?:\\.tar\\.gz|/)").matcher(text);
      while (dist.find()) {
        named.add(check(doc, "memvirt-cli", dist.group(1)));
      }
      // The module table (docs/modules.md): | `name` | version | ...
      Matcher row = Pattern.compile("(?m)^\\| `([a-z-]+)` \\| ([0-9]+\\.[0-9]+\\.[0-9]+) \\|").matcher(text);
      while (row.find()) {
        named.add(check(doc, "memvirt-" + row.group(1), row.group(2)));
      }
    }
    assertThat(named).as("versions named in the docs").hasSizeGreaterThan(MADE.size());
  }

  @Test
  void theCompiledApiVersionIsTheApiModules() {
    assertThat(org.memvirt.api.ApiVersion.COMPILED).isEqualTo(MADE.get("memvirt-api"));
  }

  /** A parent or dependency of group org.memvirt, with its version. */
  private static final Pattern OURS_PATTERN = Pattern.compile(
      "<groupId>org\\.memvirt</groupId>\\s*<artifactId>(memvirt-[a-z-]+)</artifactId>\\s*<version>([^<]+)</version>");

  private static List<String> coordinatesAndProperties(Path file, String text) {
    List<String> named = new ArrayList<>();
    Matcher coordinates = Pattern.compile("org\\.memvirt:(memvirt-[a-z-]+):([0-9][0-9.]*[0-9])").matcher(text);
    while (coordinates.find()) {
      named.add(check(file, coordinates.group(1), coordinates.group(2)));
    }
    Matcher properties = Pattern.compile("<memvirt\\.([a-z-]+)\\.version>([^<]+)</memvirt\\.").matcher(text);
    while (properties.find()) {
      if (!properties.group(2).startsWith("${")) {
        named.add(check(file, "memvirt-" + properties.group(1), properties.group(2)));
      }
    }
    return named;
  }

  private static String check(Path file, String artifact, String version) {
    if (version.startsWith("${")) {
      return artifact;
    }
    assertThat(MADE).as(file + " names " + artifact + " " + version + ", a module the build does not make")
        .containsKey(artifact);
    assertThat(version).as(file + " names " + artifact + " " + version + "; the build makes " + MADE.get(artifact))
        .isEqualTo(MADE.get(artifact));
    return artifact;
  }

  private static String property(String artifact) {
    return artifact.replaceFirst("^memvirt-", "memvirt.") + ".version";
  }

  private static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix))
          .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/")).sorted().toList();
    }
  }

  private static Element pom(Path file) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile()).getDocumentElement();
  }

  /** The direct child element {@code name} of {@code e}. */
  private static Element child(Element e, String name) {
    List<Element> found = children(e, name);
    assertThat(found).as(name + " in " + e.getTagName()).hasSize(1);
    return found.get(0);
  }

  private static List<Element> children(Element e, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c && c.getTagName().equals(name)) {
        out.add(c);
      }
    }
    return out;
  }

  private static String text(Element e, String name) {
    return child(e, name).getTextContent().trim();
  }
}
