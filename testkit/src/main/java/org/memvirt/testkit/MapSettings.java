package org.memvirt.testkit;

import java.util.List;
import java.util.Map;
import org.memvirt.api.Settings;

/**
 * Settings from a map, for tests: values are strings (or anything whose toString is the
 * value), nested maps are sections. Sizes may end in KiB, MiB or GiB; other units are plain
 * numbers. A bad value is an {@link IllegalArgumentException} naming the key.
 */
public final class MapSettings implements Settings {
  private final Map<String, Object> values;

  /** Settings over {@code values}. */
  public MapSettings(Map<String, Object> values) {
    this.values = values;
  }

  @Override
  public String path() {
    return "test";
  }

  @Override
  public boolean has(String key) {
    return values.containsKey(key);
  }

  @Override
  public String string(String key, String defaultValue) {
    return values.containsKey(key) ? values.get(key).toString() : defaultValue;
  }

  @Override
  public String choice(String key, String defaultValue, String... allowed) {
    String v = string(key, defaultValue);
    for (String a : allowed) {
      if (a.equalsIgnoreCase(v)) {
        return a;
      }
    }
    throw invalid(key, "one of " + String.join(", ", allowed) + ", got '" + v + "'");
  }

  @Override
  public long bytes(String key, long defaultValue) {
    String s = string(key, null);
    if (s == null) {
      return defaultValue;
    }
    for (String[] u : new String[][] {{"GiB", "30"}, {"MiB", "20"}, {"KiB", "10"}}) {
      if (s.endsWith(u[0])) {
        return Long.parseLong(s.substring(0, s.length() - 3)) << Integer.parseInt(u[1]);
      }
    }
    return Long.parseLong(s);
  }

  @Override
  public long count(String key, long defaultValue) {
    return values.containsKey(key) ? Long.parseLong(string(key, null)) : defaultValue;
  }

  @Override
  public double fraction(String key, double defaultValue) {
    double d = number(key, defaultValue);
    if (!(d >= 0 && d <= 1)) {
      throw invalid(key, "a fraction from 0 to 1");
    }
    return d;
  }

  @Override
  public double number(String key, double defaultValue) {
    return values.containsKey(key) ? Double.parseDouble(string(key, null)) : defaultValue;
  }

  @Override
  public double rate(String key, double defaultPerSecond) {
    return number(key, defaultPerSecond);
  }

  @Override
  public long duration(String key, long defaultNanos) {
    return count(key, defaultNanos);
  }

  @Override
  public boolean flag(String key, boolean defaultValue) {
    return values.containsKey(key) ? Boolean.parseBoolean(string(key, null)) : defaultValue;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Settings section(String key) {
    Object v = values.get(key);
    return new MapSettings(v instanceof Map ? (Map<String, Object>) v : Map.of());
  }

  @Override
  public List<Settings> sections(String key) {
    return List.of();
  }

  @Override
  public RuntimeException invalid(String key, String expected) {
    return new IllegalArgumentException(key + ": expected " + expected);
  }
}
