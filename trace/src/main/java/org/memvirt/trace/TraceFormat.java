package org.memvirt.trace;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The trace formats memvirt reads and writes, named in a path by a prefix
 * ({@code lackey:sort.trace.gz}) or by the file name's extension ({@code .lackey},
 * {@code .mvt}, each optionally followed by {@code .gz} or {@code .xz}).
 */
public enum TraceFormat {
  /** valgrind lackey's text. */
  LACKEY("lackey"),
  /** memvirt's binary format ({@link BinaryTrace}). */
  BINARY("mvt");

  private final String prefix;

  TraceFormat(String prefix) {
    this.prefix = prefix;
  }

  public String prefix() {
    return prefix;
  }

  /** A path with an optional format prefix: the format it names (or null) and the file name. */
  public record Spec(TraceFormat format, String file) {
    /** Splits {@code lackey:name} or {@code mvt:name}; a name without a known prefix stays whole. */
    public static Spec parse(String text) {
      for (TraceFormat f : values()) {
        if (text.startsWith(f.prefix + ":")) {
          return new Spec(f, text.substring(f.prefix.length() + 1));
        }
      }
      return new Spec(null, text);
    }
  }

  /** The format a file name's extension tells (compression suffix ignored), or null. */
  public static TraceFormat byExtension(Path file) {
    String name = Compression.strip(file.getFileName().toString()).toLowerCase(Locale.ROOT);
    if (name.endsWith(".mvt")) {
      return BINARY;
    }
    if (name.endsWith(".lackey") || name.endsWith(".trace") || name.endsWith(".txt")) {
      return LACKEY;
    }
    return null;
  }
}
