package org.memvirt.api;

import java.util.List;

/**
 * One section of an experiment file, as a plugin reads it. Values are written as people
 * write them: sizes {@code 4GiB}, {@code 512MiB}; durations {@code 30s}, {@code 10ms};
 * rates {@code 100M/s}; counts {@code 10M}; fractions {@code 0.3}.
 *
 * <p>Every getter takes the default used when the key is absent. The engine records which
 * keys were read: a key nobody reads is reported as unknown, naming the file and line.
 */
public interface Settings {
  /** Where this section sits in the experiment, e.g. {@code vms[0].processes[1].workload}. */
  String path();

  /** Whether {@code key} is present. */
  boolean has(String key);

  /** A plain string. */
  String string(String key, String defaultValue);

  /** One of {@code allowed} (compared ignoring case, returned lower-case). */
  String choice(String key, String defaultValue, String... allowed);

  /**
   * A size in bytes: {@code 4096}, {@code 512MiB}, {@code 4GiB} (K, M, G and T alone are
   * powers of 1024 too, as in {@code -Xmx4G}; KB, MB, GB and TB are powers of 1000).
   */
  long bytes(String key, long defaultValue);

  /**
   * A size of memory counted in pages (a VM's memory, a footprint, a swap device): as
   * {@link #bytes}, and refused unless it is a whole number of 4 KiB pages, never rounded;
   * a decimal size that is not one is told how to write the binary one.
   */
  default long pageBytes(String key, long defaultValue) {
    long b = bytes(key, defaultValue);
    if (has(key) && b % org.memvirt.api.memory.Pages.SIZE != 0) {
      String text = string(key, "").trim();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9.]+)\\s*([kKMGT])B").matcher(text);
      throw invalid(key, "a whole number of 4 KiB pages" + (m.matches() ? " (" + m.group(1) + m.group(2)
          + "B is decimal, powers of 1000; write " + m.group(1) + Character.toUpperCase(m.group(2).charAt(0))
          + "iB for powers of 1024)" : ""));
    }
    return b;
  }

  /** A whole number, with optional K/M/G (powers of 1000) suffix. */
  long count(String key, long defaultValue);

  /** A real number in [0, 1]. */
  double fraction(String key, double defaultValue);

  /** A real number. */
  double number(String key, double defaultValue);

  /** A rate per simulated second, e.g. {@code 100M/s}, {@code 250/s}. */
  double rate(String key, double defaultPerSecond);

  /** A duration in simulated nanoseconds, e.g. {@code 30s}, {@code 15ms}, {@code 2min}. */
  long duration(String key, long defaultNanos);

  /** {@code true} or {@code false}. */
  boolean flag(String key, boolean defaultValue);

  /**
   * An address or offset: hex ({@code 0x10000000}) or a size ({@code 4GiB},
   * {@code 268435456}); never negative.
   */
  default long address(String key, long defaultValue) {
    String text = string(key, null);
    if (text != null && (text.startsWith("0x") || text.startsWith("0X"))) {
      try {
        long v = Long.parseUnsignedLong(text.substring(2), 16);
        if (v >= 0) {
          return v;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw invalid(key, "an address like 0x10000000 or a size like 4GiB");
    }
    return bytes(key, defaultValue);
  }

  /**
   * Resolves {@code fileName}, read from {@code key}'s value, against the folder of the
   * experiment file that set {@code key} (a name from the command line or a built-in
   * experiment stays relative to the working directory). The engine writes the resolved
   * name into the experiment as resolved, so that it runs again from anywhere.
   */
  default java.nio.file.Path resolve(String key, String fileName) {
    return java.nio.file.Path.of(fileName);
  }

  /** A nested section; an empty one if absent. */
  Settings section(String key);

  /** A list of sections; empty if absent. */
  List<Settings> sections(String key);

  /**
   * An error about {@code key} in this section: names the file, the line and the key, and
   * says what was expected. Throw what it returns.
   */
  RuntimeException invalid(String key, String expected);
}
