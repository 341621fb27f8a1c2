package org.memvirt.api.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Files written whole, as every memvirt output is: the bytes go to a new file of the
 * writer's own beside the target (never one that was there, nor a link's target), created
 * with the mode the umask gives any new file, and move into place only once complete, so a
 * failure (a full disk, an error in the writer) leaves no half-written file and removes the
 * temporary one.
 */
public final class WholeFile {
  private WholeFile() {}

  /** What writes a file's content to a stream. */
  @FunctionalInterface
  public interface Content<T> {
    T writeTo(OutputStream out) throws IOException;
  }

  /** Writes {@code target} whole from {@code content}; returns what {@code content} returned. */
  public static <T> T write(Path target, Content<T> content) throws IOException {
    Path tmp = create(target);
    try {
      T result;
      try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
        result = content.writeTo(out);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return result;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Writes {@code target} whole with {@code bytes}. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> {
      out.write(bytes);
      return null;
    });
  }

  /**
   * Replaces the content of {@code file}, a regular file the caller wrote, in place: for when
   * there is no room for a second copy (a full disk), at the cost of leaving it cut short if
   * this fails too.
   */
  public static void rewriteInPlace(Path file, byte[] bytes) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(file + ": not a regular file");
    }
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
      out.write(bytes);
    }
  }

  /** A new, empty file of ours beside {@code target}, named {@code .NAME.RANDOM.part}. */
  private static Path create(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    for (int attempt = 0; ; attempt++) {
      Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
          + ".part");
      try {
        // No file attributes: the file gets 0666 less the umask, as any file a tool writes.
        Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        return tmp;
      } catch (FileAlreadyExistsException e) {
        if (attempt == 9) {
          throw e;
        }
      }
    }
  }
}
