package org.memvirt.engine.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.memvirt.api.Settings;

/**
 * {@link Settings} over one map node of an experiment tree. Every key asked for is recorded
 * in the node, so {@link #checkNoUnknownKeys} can report the keys nobody reads.
 */
public final class ConfigSettings implements Settings {
  private final ConfigNode node;
  private final String path;

  public ConfigSettings(ConfigNode node, String path) {
    if (node.kind() != ConfigNode.Kind.MAP) {
      throw new ExperimentException(node.where() + ": " + (path.isEmpty() ? "the experiment" : path)
          + ": expected a map of keys");
    }
    this.node = node;
    this.path = path;
  }

  public ConfigNode node() {
    return node;
  }

  @Override
  public String path() {
    return path;
  }

  private String keyPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  @Override
  public boolean has(String key) {
    ConfigNode n = node.get(key);
    return n != null && !(n.kind() == ConfigNode.Kind.SCALAR && n.scalar() == null);
  }

  private String text(String key) {
    ConfigNode n = node.get(key);
    if (n == null || (n.kind() == ConfigNode.Kind.SCALAR && n.scalar() == null)) {
      return null;
    }
    if (n.kind() != ConfigNode.Kind.SCALAR) {
      throw new ExperimentException(n.where() + ": " + keyPath(key) + ": expected a single value, got a "
          + n.kind().name().toLowerCase(Locale.ROOT));
    }
    return n.scalar();
  }

  private <T> T parse(String key, T defaultValue, Function<String, T> parser, String expected) {
    return parse(key, defaultValue, parser, expected, String::valueOf);
  }

  /** Parses {@code key}; when absent, records {@code defaultValue} as {@code show} writes it. */
  private <T> T parse(String key, T defaultValue, Function<String, T> parser, String expected,
      Function<T, String> show) {
    String t = text(key);
    if (t == null) {
      if (defaultValue != null) {
        node.recordDefault(key, show.apply(defaultValue));
      }
      return defaultValue;
    }
    T v = parser.apply(t);
    if (v == null) {
      String trimmed = t.trim();
      if (trimmed.startsWith("-") && parser.apply(trimmed.substring(1)) != null) {
        // A number that would parse but for its sign: say what is wrong with it.
        throw new ExperimentException(where(key) + ": " + keyPath(key) + ": expected " + expected
            + ", got '" + t + "', which is negative");
      }
      if (tooLarge(trimmed)) {
        throw new ExperimentException(where(key) + ": " + keyPath(key) + ": expected " + expected
            + ", got '" + t + "', which is too large: numbers (and sizes in bytes, durations in ns) go up to "
            + "2^63-1 = 9223372036854775807");
      }
      throw invalidValue(key, expected, t);
    }
    return v;
  }

  /** A number (with any unit) whose value is 2^63 or more. */
  private static boolean tooLarge(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\\s*([A-Za-z/]*)")
        .matcher(text);
    if (!m.matches()) {
      return false;
    }
    String unit = m.group(2);
    double scale = switch (unit) {
      case "K", "k", "KiB", "KB", "kB", "us" -> 1e3;
      case "M", "MiB", "MB", "ms" -> 1e6;
      case "G", "GiB", "GB", "s" -> 1e9;
      case "T", "TiB", "TB" -> 1e12;
      case "min", "m" -> 60e9;
      case "h" -> 3600e9;
      default -> 1;
    };
    if (scale == 1 && m.group(1).matches("[0-9]+")) {
      return m.group(1).replaceFirst("^0+", "").length() > 19 || new java.math.BigInteger(m.group(1))
          .compareTo(java.math.BigInteger.valueOf(Long.MAX_VALUE)) > 0;
    }
    return Double.parseDouble(m.group(1)) * scale >= 0x1p63;
  }

  private ExperimentException invalidValue(String key, String expected, String got) {
    return new ExperimentException(where(key) + ": " + keyPath(key) + ": expected " + expected
        + ", got '" + got + "'");
  }

  private String where(String key) {
    return node.where(key);
  }

  @Override
  public String string(String key, String defaultValue) {
    return parse(key, defaultValue, t -> t, "a string");
  }

  @Override
  public java.nio.file.Path resolve(String key, String fileName) {
    ConfigNode n = node.entries().get(key);
    java.nio.file.Path p = java.nio.file.Path.of(fileName);
    if (n != null && !p.isAbsolute() && !n.origin().startsWith("--set") && !n.origin().startsWith("(")) {
      p = java.nio.file.Path.of(n.origin()).toAbsolutePath().resolveSibling(p).normalize();
    }
    node.recordResolvedFile(key, fileName, p.toAbsolutePath().normalize().toString());
    return p;
  }

  @Override
  public String choice(String key, String defaultValue, String... allowed) {
    List<String> options = Arrays.asList(allowed);
    return parse(key, defaultValue, t -> options.contains(t.toLowerCase(Locale.ROOT)) ? t.toLowerCase(Locale.ROOT)
        : null, "one of " + String.join(", ", allowed));
  }


  @Override
  public long bytes(String key, long defaultValue) {
    String t = text(key);
    if (t != null && t.trim().startsWith("-")) {
      throw invalidValue(key, "a size that is not negative, like 512MiB", t);
    }
    return parse(key, defaultValue, Units::bytes, "a size like 4096, 512MiB or 4GiB", Units::formatBytes);
  }

  /** A size that must be positive. */
  public long positiveBytes(String key, long defaultValue) {
    String t = text(key);
    if (t != null && t.trim().startsWith("-")) {
      throw new ExperimentException(where(key) + ": " + keyPath(key) + ": expected a positive size like 512MiB, got '"
          + t + "', which is negative");
    }
    long v = bytes(key, defaultValue);
    if (v <= 0) {
      throw invalidValue(key, "a positive size like 512MiB", t);
    }
    return v;
  }

  /** A size that must be positive and whole 4 KiB pages. */
  public long positivePageBytes(String key, long defaultValue) {
    long v = positiveBytes(key, defaultValue);
    pageBytes(key, defaultValue);
    return v;
  }

  @Override
  public long count(String key, long defaultValue) {
    if (defaultValue == Long.MAX_VALUE) {
      // "No limit": nothing to write down in the resolved experiment.
      Long v = parse(key, null, Units::count, "a whole number like 1000 or 10M");
      return v == null ? Long.MAX_VALUE : v;
    }
    return parse(key, defaultValue, Units::count, "a whole number like 1000 or 10M");
  }

  @Override
  public double fraction(String key, double defaultValue) {
    return parse(key, defaultValue, t -> {
      Double d = number(t);
      return d != null && d >= 0 && d <= 1 ? d : null;
    }, "a fraction from 0 to 1");
  }

  @Override
  public double number(String key, double defaultValue) {
    return parse(key, defaultValue, ConfigSettings::number, "a number");
  }

  private static Double number(String t) {
    try {
      double d = Double.parseDouble(t.trim());
      return Double.isFinite(d) ? d : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public double rate(String key, double defaultPerSecond) {
    return parse(key, defaultPerSecond, t -> {
      Double r = Units.ratePerSecond(t);
      return r != null && r > 0 ? r : null;
    }, "a positive rate like 100M/s or 250/s", Units::formatRate);
  }

  @Override
  public long duration(String key, long defaultNanos) {
    return parse(key, defaultNanos, t -> {
      Long d = Units.durationNanos(t);
      return d != null && d > 0 ? d : null;
    }, "a positive duration like 30s, 15ms or 2min", Units::formatDuration);
  }

  /** A duration that may be zero ({@code 0s}: none), e.g. a warm-up. */
  public long durationOrZero(String key, long defaultNanos) {
    return parse(key, defaultNanos, t -> {
      Long d = Units.durationNanos(t);
      return d != null && d >= 0 ? d : null;
    }, "a duration like 30s, 15ms or 2min, or 0s for none", Units::formatDuration);
  }

  @Override
  public boolean flag(String key, boolean defaultValue) {
    return parse(key, defaultValue, t -> switch (t.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> Boolean.TRUE;
      case "false", "no", "off" -> Boolean.FALSE;
      default -> null;
    }, "true or false");
  }

  @Override
  public ConfigSettings section(String key) {
    ConfigNode n = node.get(key);
    if (n == null || (n.kind() == ConfigNode.Kind.SCALAR && n.scalar() == null)) {
      ConfigNode empty = ConfigNode.map(node.origin(), node.line());
      node.put(key, empty, 0);
      return new ConfigSettings(empty, keyPath(key));
    }
    if (n.kind() != ConfigNode.Kind.MAP) {
      throw new ExperimentException(n.where() + ": " + keyPath(key) + ": expected a map of keys");
    }
    return new ConfigSettings(n, keyPath(key));
  }

  @Override
  public List<Settings> sections(String key) {
    return new ArrayList<>(sectionList(key));
  }

  /** The elements of a list of maps. */
  public List<ConfigSettings> sectionList(String key) {
    ConfigNode n = node.get(key);
    List<ConfigSettings> out = new ArrayList<>();
    if (n == null || (n.kind() == ConfigNode.Kind.SCALAR && n.scalar() == null)) {
      return out;
    }
    if (n.kind() != ConfigNode.Kind.LIST) {
      throw new ExperimentException(n.where() + ": " + keyPath(key) + ": expected a list");
    }
    for (int i = 0; i < n.elements().size(); i++) {
      out.add(new ConfigSettings(n.elements().get(i), keyPath(key) + "[" + i + "]"));
    }
    return out;
  }

  /** The keys present in this section, in file order. */
  public List<String> presentKeys() {
    return new ArrayList<>(node.entries().keySet());
  }

  @Override
  public ExperimentException invalid(String key, String expected) {
    String got = node.entries().containsKey(key) && node.entries().get(key).kind() == ConfigNode.Kind.SCALAR
        ? ", got '" + node.entries().get(key).scalar() + "'" : "";
    return new ExperimentException(where(key) + ": " + keyPath(key) + ": expected " + expected + got);
  }

  /**
   * Fails on the first key of the tree under {@code root} that no reader asked for, naming
   * the keys that are known there.
   */
  public static void checkNoUnknownKeys(ConfigNode root, String path) {
    if (root.kind() == ConfigNode.Kind.MAP) {
      for (Map.Entry<String, ConfigNode> e : root.entries().entrySet()) {
        String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        if (!root.askedKeys().contains(e.getKey())) {
          List<String> known = new ArrayList<>(root.askedKeys());
          throw new ExperimentException(root.where(e.getKey()) + ": " + p + ": unknown key"
              + (known.isEmpty() ? "" : "; known here: " + String.join(", ", known)));
        }
        checkNoUnknownKeys(e.getValue(), p);
      }
    } else if (root.kind() == ConfigNode.Kind.LIST) {
      for (int i = 0; i < root.elements().size(); i++) {
        checkNoUnknownKeys(root.elements().get(i), path + "[" + i + "]");
      }
    }
  }
}
