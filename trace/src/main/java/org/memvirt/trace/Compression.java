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

  /**
   * {@code in}, decompressed if it starts with a gzip or xz header. A stream that turns out
   * corrupt or truncated while it is read fails with a one-line {@link TraceFormatException}
   * naming {@code origin}, wherever it is read from.
   */
  static InputStream decompress(InputStream raw, String origin) throws IOException {
    InputStream in = decompress(raw);
    return new Checked(in, origin);
  }

  /** Turns the decompressors' exceptions into one line naming the file. */
  private static final class Checked extends java.io.FilterInputStream {
    private final String origin;

    Checked(InputStream in, String origin) {
      super(in);
      this.origin = origin;
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (java.util.zip.ZipException | java.io.EOFException | org.tukaani.xz.XZIOException e) {
        throw corrupt(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (java.util.zip.ZipException | java.io.EOFException | org.tukaani.xz.XZIOException e) {
        throw corrupt(e);
      }
    }

    private TraceFormatException corrupt(IOException e) {
      return new TraceFormatException(origin + ": corrupt or truncated compressed trace: " + e.getMessage());
    }
  }

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
