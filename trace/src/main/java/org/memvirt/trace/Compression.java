package org.memvirt.trace;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * Transparent compression: input is recognised by its magic bytes (gzip, xz), output is
 * compressed as the file name's suffix asks ({@code .gz}, {@code .xz}).
 */
final class Compression {
  private static final int BUFFER = 1 << 16;

  private Compression() {}

  /** {@code in}, decompressed if it starts with a gzip or xz header. */
  static InputStream decompress(InputStream raw) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
    in.mark(6);
    byte[] magic = in.readNBytes(6);
    in.reset();
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER);
    }
    if (magic.length == 6 && (magic[0] & 0xff) == 0xfd && magic[1] == '7' && magic[2] == 'z' && magic[3] == 'X'
        && magic[4] == 'Z' && magic[5] == 0) {
      return new BufferedInputStream(new XZInputStream(in), BUFFER);
    }
    return in;
  }

  /** {@code out}, compressed as {@code name}'s suffix says. */
  static OutputStream compress(OutputStream out, String name) throws IOException {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".gz")) {
      return new GZIPOutputStream(out, BUFFER);
    }
    if (lower.endsWith(".xz")) {
      return new XZOutputStream(out, new LZMA2Options());
    }
    return out;
  }

  /** {@code name} without a compression suffix. */
  static String strip(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".gz") || lower.endsWith(".xz") ? name.substring(0, name.length() - 3) : name;
  }
}
