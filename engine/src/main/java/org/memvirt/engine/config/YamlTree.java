package org.memvirt.engine.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Reads YAML into a {@link ConfigNode} tree that keeps line numbers (SnakeYAML's node
 * graph). Anchors and aliases work: an alias is a copy of the anchored node, and a merge
 * key ({@code <<: *base}) adds the entries of an anchored map that the map does not set.
 */
public final class YamlTree {
  /** What the YAML parser reads at most (SnakeYAML's default code point limit, in characters). */
  public static final int MAX_CHARS = 3 << 20;

  private YamlTree() {}

  public static ConfigNode read(Path file) {
    String origin = file.toString();
    String what = PathKind.describeIfNotRegular(file);
    if (what != null) {
      throw new ExperimentException(origin + ": " + (what.equals(PathKind.MISSING) ? "no such experiment file"
          : what + ", not an experiment file (expected a YAML file)"));
    }
    try {
      // Bytes are at least characters: a larger file is over the limit whatever its encoding.
      if (Files.size(file) > 4L * MAX_CHARS) {
        throw tooLarge(origin);
      }
    } catch (IOException e) {
      throw new ExperimentException(origin + ": cannot read: " + e.getMessage());
    }
    try (Reader reader = Files.newBufferedReader(file)) {
      return read(reader, origin);
    } catch (NoSuchFileException e) {
      throw new ExperimentException(origin + ": no such experiment file");
    } catch (java.nio.charset.MalformedInputException e) {
      throw new ExperimentException(origin + ": not UTF-8 text (expected a YAML file)");
    } catch (IOException e) {
      throw new ExperimentException(origin + ": cannot read: " + e.getMessage());
    }
  }

  private static ExperimentException tooLarge(String origin) {
    return new ExperimentException(origin + ": too large: experiment files are at most " + MAX_CHARS
        + " characters (3 MiB), the YAML parser's limit");
  }

  public static ConfigNode read(InputStream in, String origin) {
    try (Reader reader = new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8)) {
      return read(reader, origin);
    } catch (IOException e) {
      throw new ExperimentException(origin + ": cannot read: " + e.getMessage());
    }
  }

  public static ConfigNode parse(String text, String origin) {
    try {
      return read(new StringReader(text), origin);
    } catch (IOException e) {
      throw new ExperimentException(origin + ": cannot read: " + e.getMessage());
    }
  }

  private static ConfigNode read(Reader reader, String origin) throws IOException {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_CHARS);
    // Duplicates are refused below, with their line.
    options.setAllowDuplicateKeys(true);
    Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
        options);
    try {
      java.util.Iterator<Node> documents = yaml.composeAll(reader).iterator();
      if (!documents.hasNext()) {
        return ConfigNode.map(origin, 1);
      }
      Node document = documents.next();
      if (documents.hasNext()) {
        throw new ExperimentException(origin + ":" + (documents.next().getStartMark().getLine() + 1)
            + ": expected one YAML document");
      }
      ConfigNode root = new Reading(origin).node(document);
      if (root.kind() == ConfigNode.Kind.MAP) {
        // Top-level keys starting with x- hold anchors for aliases elsewhere: once the aliases
        // are copied, they are done (as in Compose files).
        root.entries().keySet().removeIf(k -> k.startsWith("x-"));
      }
      return root;
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1
          : e.getContextMark() != null ? e.getContextMark().getLine() + 1 : 0;
      throw new ExperimentException(origin + ":" + line + ": malformed YAML: " + e.getProblem());
    } catch (YAMLException e) {
      String msg = String.valueOf(e.getMessage());
      if (msg.contains("exceeds the limit")) {
        throw tooLarge(origin);
      }
      if (e.getCause() instanceof java.nio.charset.CharacterCodingException || msg.contains("MalformedInput")
          || msg.contains("special characters are not allowed")) {
        throw new ExperimentException(origin + ": not UTF-8 text (expected a YAML file)");
      }
      throw new ExperimentException(origin + ": malformed YAML: " + msg.lines().findFirst().orElse(msg));
    }
  }

  /** One document's nodes to ConfigNodes; an alias's node is met again and copied. */
  private static final class Reading {
    private final String origin;
    private final Map<Node, ConfigNode> seen = new IdentityHashMap<>();

    Reading(String origin) {
      this.origin = origin;
    }

    ConfigNode node(Node n) {
      int line = n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
      if (seen.containsKey(n)) {
        ConfigNode earlier = seen.get(n);
        if (earlier == null) {
          throw new ExperimentException(origin + ":" + line + ": an alias inside the node it names (a recursive "
              + "alias); expected a tree");
        }
        return earlier.copy();
      }
      seen.put(n, null);
      ConfigNode c;
      if (n instanceof MappingNode m) {
        c = map(m, line);
      } else if (n instanceof SequenceNode s) {
        c = ConfigNode.list(origin, line);
        for (Node e : s.getValue()) {
          c.elements().add(node(e));
        }
      } else {
        ScalarNode s = (ScalarNode) n;
        c = ConfigNode.scalar(origin, line, s.getTag().equals(Tag.NULL) ? null : s.getValue());
      }
      seen.put(n, c);
      return c;
    }

    private ConfigNode map(MappingNode m, int line) {
      ConfigNode map = ConfigNode.map(origin, line);
      List<ConfigNode> merged = new ArrayList<>();
      for (NodeTuple t : m.getValue()) {
        int keyLine = t.getKeyNode().getStartMark().getLine() + 1;
        if (!(t.getKeyNode() instanceof ScalarNode k)) {
          throw new ExperimentException(origin + ":" + keyLine + ": expected a plain key, got a map or a list");
        }
        ConfigNode value = node(t.getValueNode());
        if (k.getTag().equals(Tag.MERGE)) {
          // YAML's merge key: one map or a list of maps, whose entries the map does not set.
          List<ConfigNode> sources = value.kind() == ConfigNode.Kind.LIST ? value.elements() : List.of(value);
          for (ConfigNode source : sources) {
            if (source.kind() != ConfigNode.Kind.MAP) {
              throw new ExperimentException(origin + ":" + keyLine + ": <<: expected an alias of a map (<<: *base)");
            }
            merged.add(source);
          }
          continue;
        }
        String key = k.getValue();
        if (map.entries().containsKey(key)) {
          throw new ExperimentException(origin + ":" + keyLine + ": duplicate key '" + key + "'");
        }
        map.put(key, value, keyLine);
      }
      for (ConfigNode source : merged) {
        source.entries().forEach((k, v) -> {
          if (!map.entries().containsKey(k)) {
            map.put(k, v.copy(), v.line());
          }
        });
      }
      return map;
    }
  }
}
