package org.memvirt.engine.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses values as people write them. Sizes: {@code 4096}, {@code 4KiB}, {@code 512MiB},
 * {@code 8GiB}, {@code 1TiB}; K, M, G, T alone are powers of 1024 too, as in {@code -Xmx4G};
 * KB, MB, GB, TB are powers of 1000. Durations: {@code 30s},
 * {@code 15ms}, {@code 2min}, {@code 1h}, {@code 500us}, {@code 10ns}. Rates: {@code 100M/s},
 * {@code 250/s}, {@code 2K/ms}. Counts: {@code 10M}, {@code 5K}, {@code 3G}.
 * Each returns null when the text does not parse.
 */
public final class Units {
  private static final Pattern NUMBER_SUFFIX =
      Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\\s*([A-Za-z]*)\\s*");
  private static final Pattern RATE =
      Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([KMG]?)\\s*/\\s*([a-z]+)\\s*");

  private Units() {}

  public static Long bytes(String text) {
    Matcher m = NUMBER_SUFFIX.matcher(text);
    if (!m.matches()) {
      return null;
    }
    double n = Double.parseDouble(m.group(1));
    long unit = switch (m.group(2)) {
      case "", "B" -> 1L;
      // K, M, G, T alone are binary too, as in -Xmx4G.
      case "KiB", "K", "k" -> 1L << 10;
      case "MiB", "M" -> 1L << 20;
      case "GiB", "G" -> 1L << 30;
      case "TiB", "T" -> 1L << 40;
      case "KB", "kB" -> 1000L;
      case "MB" -> 1000_000L;
      case "GB" -> 1000_000_000L;
      case "TB" -> 1000_000_000_000L;
      default -> -1L;
    };
    if (unit < 0) {
      return null;
    }
    if (unit == 1 && m.group(1).matches("[0-9]+")) {
      return exact(m.group(1));
    }
    double v = n * unit;
    // 2^63 and above do not fit a long: refused, never saturated.
    if (v != Math.rint(v) || v >= 0x1p63) {
      return null;
    }
    return (long) v;
  }

  public static Long durationNanos(String text) {
    Matcher m = NUMBER_SUFFIX.matcher(text);
    if (!m.matches() || m.group(2).isEmpty()) {
      return null;
    }
    double n = Double.parseDouble(m.group(1));
    Double unit = nanosPer(m.group(2));
    // Beyond 2^63 ns (292 years) a duration would saturate: refused instead.
    return unit == null || n * unit >= 0x1p63 ? null : Math.round(n * unit);
  }

  private static Double nanosPer(String unit) {
    return switch (unit.toLowerCase(Locale.ROOT)) {
      case "ns" -> 1.0;
      case "us" -> 1e3;
      case "ms" -> 1e6;
      case "s" -> 1e9;
      case "min", "m" -> 60e9;
      case "h" -> 3600e9;
      default -> null;
    };
  }

  public static Double ratePerSecond(String text) {
    Matcher m = RATE.matcher(text);
    if (!m.matches()) {
      return null;
    }
    Double per = nanosPer(m.group(3));
    if (per == null) {
      return null;
    }
    return Double.parseDouble(m.group(1)) * metric(m.group(2)) * (1e9 / per);
  }

  public static Long count(String text) {
    Matcher m = NUMBER_SUFFIX.matcher(text);
    if (!m.matches()) {
      return null;
    }
    String s = m.group(2);
    if (!s.isEmpty() && !s.matches("[KMG]")) {
      return null;
    }
    // Plain digits are read exactly: a double would round seeds above 2^53.
    if (s.isEmpty() && m.group(1).matches("[0-9]+")) {
      return exact(m.group(1));
    }
    double v = Double.parseDouble(m.group(1)) * metric(s);
    if (v != Math.rint(v) || v >= 0x1p63) {
      return null;
    }
    return (long) v;
  }

  private static Long exact(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static double metric(String suffix) {
    return switch (suffix) {
      case "K" -> 1e3;
      case "M" -> 1e6;
      case "G" -> 1e9;
      default -> 1;
    };
  }

  /** {@code 2GiB}, {@code 512MiB}, {@code 12KiB} or plain bytes: the largest exact unit. */
  public static String formatBytes(long bytes) {
    String[] names = {"TiB", "GiB", "MiB", "KiB"};
    int[] shifts = {40, 30, 20, 10};
    for (int i = 0; i < names.length; i++) {
      long unit = 1L << shifts[i];
      if (bytes >= unit && bytes % unit == 0) {
        return (bytes / unit) + names[i];
      }
    }
    return Long.toString(bytes);
  }

  /** {@code 10s}, {@code 15ms}, ... the largest exact unit. */
  public static String formatDuration(long nanos) {
    long[] units = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
    String[] names = {"h", "min", "s", "ms", "us"};
    for (int i = 0; i < units.length; i++) {
      if (nanos >= units[i] && nanos % units[i] == 0) {
        return (nanos / units[i]) + names[i];
      }
    }
    return nanos + "ns";
  }

  /** {@code 1M/s}, {@code 250/s}, {@code 2.5K/s}: a rate per second as {@link #ratePerSecond} reads it. */
  public static String formatRate(double perSecond) {
    String[] names = {"G", "M", "K"};
    double[] units = {1e9, 1e6, 1e3};
    for (int i = 0; i < names.length; i++) {
      if (perSecond >= units[i] && perSecond % units[i] == 0) {
        return (long) (perSecond / units[i]) + names[i] + "/s";
      }
    }
    return java.math.BigDecimal.valueOf(perSecond).stripTrailingZeros().toPlainString() + "/s";
  }

  /** {@code 1.2 MiB}, {@code 512 B}: a size rounded for people to read. */
  public static String formatBytesApprox(long bytes) {
    String[] names = {"TiB", "GiB", "MiB", "KiB"};
    for (int i = 0; i < names.length; i++) {
      long unit = 1L << (40 - 10 * i);
      if (bytes >= unit) {
        return String.format(java.util.Locale.ROOT, "%.1f %s", bytes / (double) unit, names[i]);
      }
    }
    return bytes + " B";
  }
}
