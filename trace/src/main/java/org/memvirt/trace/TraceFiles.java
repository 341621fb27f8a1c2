package org.memvirt.trace;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.memvirt.api.io.WholeFile;

/** Opening traces for reading and writing, in any format, compressed or not. */
public final class TraceFiles {
  private TraceFiles() {}

  /**
   * Opens {@code file}. The format is {@code format} if given, else the extension's, else
   * recognised by content (the binary header, or lackey text). gzip and xz are undone
   * transparently.
   */
  public static TraceReader open(Path file, TraceFormat format) {
    String origin = file.toString();
    if (!Files.isRegularFile(file)) {
      throw new TraceFormatException(origin + ": no such trace file");
    }
    try {
      InputStream in = Compression.decompress(Files.newInputStream(file), origin);
      try {
        TraceFormat f = format != null ? format : TraceFormat.byExtension(file);
        if (f == null) {
          in.mark(BinaryTrace.MAGIC.length);
          byte[] start = in.readNBytes(BinaryTrace.MAGIC.length);
          in.reset();
          f = BinaryTrace.hasMagic(start, start.length) ? TraceFormat.BINARY : TraceFormat.LACKEY;
        }
        return f == TraceFormat.BINARY ? new BinaryTraceReader(in, origin) : new LackeyTraceReader(in, origin);
      } catch (IOException | RuntimeException e) {
        in.close();
        throw e;
      }
    } catch (NoSuchFileException e) {
      throw new TraceFormatException(origin + ": no such trace file");
    } catch (java.util.zip.ZipException | org.tukaani.xz.XZFormatException e) {
      throw new TraceFormatException(origin + ": corrupt compressed trace: " + e.getMessage());
    } catch (IOException e) {
      throw new TraceFormatException(origin + ": cannot read: " + e.getMessage());
    }
  }

  /** Fails with an {@link EmptyTraceException} unless {@code file} yields at least one record; reads one batch only. */
  public static void requireAccesses(Path file, TraceFormat format) {
    try (TraceReader r = open(file, format)) {
      if (r.read(new TraceRecords(64)) <= 0) {
        throw new EmptyTraceException(file.toString());
      }
    } catch (IOException e) {
      throw new TraceFormatException(file + ": cannot read: " + e.getMessage());
    }
  }

  /** Opens {@code spec}: a file name with an optional format prefix ({@code lackey:}, {@code mvt:}). */
  public static TraceReader open(String spec) {
    TraceFormat.Spec s = TraceFormat.Spec.parse(spec);
    return open(Path.of(s.file()), s.format());
  }

  /**
   * Copies every record of {@code in} to {@code out}, in {@code format} (or the one out's
   * extension tells, binary otherwise), compressed as its suffix says. Writes a temporary
   * file beside {@code out} and moves it into place only when complete, so a failure
   * leaves no half-written trace. Returns the number of records read.
   */
  public static long convert(TraceReader in, Path out, TraceFormat format) throws IOException {
    TraceFormat named = format != null ? format : TraceFormat.byExtension(out);
    TraceFormat f = named != null ? named : TraceFormat.BINARY;
    Path dir = out.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      throw new TraceFormatException(out + ": the folder " + dir + " does not exist");
    }
    return WholeFile.write(out, stream -> {
      long n = 0;
      try (TraceWriter w = writer(f, Compression.compress(new BufferedOutputStream(stream, 1 << 16),
          out.getFileName().toString()), out.toString())) {
        TraceRecords buffer = new TraceRecords(4096);
        int read;
        while ((read = in.read(buffer)) > 0) {
          w.write(buffer, read);
          n += read;
        }
      }
      if (n == 0) {
        // Every command that reads traces says it alike; nothing is moved into place.
        throw new EmptyTraceException(in.origin());
      }
      return n;
    });
  }

  private static TraceWriter writer(TraceFormat f, OutputStream out, String origin) throws IOException {
    return f == TraceFormat.BINARY ? new BinaryTraceWriter(out, origin) : new LackeyTraceWriter(out);
  }
}
