package org.memvirt.engine.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One node of an experiment tree (a map, a list or a scalar) with the line it came from,
 * so that every error can name the file and the line. Map nodes remember which keys the
 * readers asked for, so that the keys nobody asked for can be reported as unknown.
 */
public final class ConfigNode {
  public enum Kind { MAP, LIST, SCALAR }

  private final Kind kind;
  private final String origin;
  private final int line;
  private final String scalar;
  private final Map<String, ConfigNode> map;
  private final List<ConfigNode> list;
  private final Set<String> asked = new LinkedHashSet<>();
  private final Map<String, Integer> keyLines = new LinkedHashMap<>();
  private final Map<String, String> defaults = new LinkedHashMap<>();
  /** Per key, a file name in its value and that name resolved, for {@link #resolved()}. */
  private final Map<String, ResolvedFile> files = new LinkedHashMap<>();

  private record ResolvedFile(String name, String absolute) {}

  private ConfigNode(Kind kind, String origin, int line, String scalar) {
    this.kind = kind;
    this.origin = origin;
    this.line = line;
    this.scalar = scalar;
    this.map = kind == Kind.MAP ? new LinkedHashMap<>() : null;
    this.list = kind == Kind.LIST ? new ArrayList<>() : null;
  }

  public static ConfigNode map(String origin, int line) {
    return new ConfigNode(Kind.MAP, origin, line, null);
  }

  public static ConfigNode list(String origin, int line) {
    return new ConfigNode(Kind.LIST, origin, line, null);
  }

  /** A scalar; {@code text} is null for YAML's null. */
  public static ConfigNode scalar(String origin, int line, String text) {
    return new ConfigNode(Kind.SCALAR, origin, line, text);
  }

  public Kind kind() {
    return kind;
  }

  /** The file (or {@code --set}) the node came from. */
  public String origin() {
    return origin;
  }

  public int line() {
    return line;
  }

  /** {@code file:line} for messages. */
  public String where() {
    return line > 0 && !origin.startsWith("--set") ? origin + ":" + line : origin;
  }

  public String scalar() {
    return scalar;
  }

  public Map<String, ConfigNode> entries() {
    return map;
  }

  public List<ConfigNode> elements() {
    return list;
  }

  /** Adds a map entry whose key stands on {@code keyLine}. */
  public void put(String key, ConfigNode value, int keyLine) {
    map.put(key, value);
    keyLines.put(key, keyLine);
  }

  /** {@code file:line} of a key of this map (the key's own line), or of the map. */
  public String where(String key) {
    Integer l = keyLines.get(key);
    if (l != null && l > 0 && !origin.startsWith("--set")) {
      return origin + ":" + l;
    }
    ConfigNode v = map == null ? null : map.get(key);
    return (v != null ? v : this).where();
  }

  public ConfigNode get(String key) {
    asked.add(key);
    return map.get(key);
  }

  public Set<String> askedKeys() {
    return asked;
  }

  /** Records the default a reader used for an absent key, for {@link #resolved()}. */
  public void recordDefault(String key, String text) {
    if (!map.containsKey(key)) {
      defaults.putIfAbsent(key, text);
    }
  }

  /** Records that {@code key}'s value names {@code name}, which resolves to {@code absolute}. */
  public void recordResolvedFile(String key, String name, String absolute) {
    files.put(key, new ResolvedFile(name, absolute));
  }

  /** A deep copy (lines and origins kept, nothing asked yet). */
  public ConfigNode copy() {
    ConfigNode c = new ConfigNode(kind, origin, line, scalar);
    if (map != null) {
      map.forEach((k, v) -> c.put(k, v.copy(), keyLines.getOrDefault(k, 0)));
    }
    if (list != null) {
      list.forEach(e -> c.list.add(e.copy()));
    }
    return c;
  }

  /**
   * The tree as plain maps, lists and scalars (numbers and booleans typed), with the
   * defaults its readers used filled in: the experiment as it was resolved.
   */
  public Object resolved() {
    switch (kind) {
      case MAP: {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
          ResolvedFile file = files.get(k);
          out.put(k, file != null && v.kind == Kind.SCALAR && v.scalar != null
              ? v.scalar.replace(file.name(), file.absolute()) : v.resolved());
        });
        defaults.forEach((k, v) -> out.putIfAbsent(k, typed(v)));
        return out;
      }
      case LIST: {
        List<Object> out = new ArrayList<>();
        list.forEach(e -> out.add(e.resolved()));
        return out;
      }
      default:
        return typed(scalar);
    }
  }

  private static Object typed(String text) {
    if (text == null) {
      return null;
    }
    if (text.matches("-?[0-9]{1,18}")) {
      return Long.parseLong(text);
    }
    if (text.matches("-?[0-9]+\\.[0-9]+")) {
      return Double.parseDouble(text);
    }
    if (text.equals("true") || text.equals("false")) {
      return Boolean.parseBoolean(text);
    }
    return text;
  }
}
