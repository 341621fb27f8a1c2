package org.memvirt.engine.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What is at a path, in words for one-line errors: a regular file, nothing, a folder, a
 * symbolic link, a FIFO, a device or a socket. Inputs are looked at through links; outputs
 * are not (memvirt never writes through a link).
 */
public final class PathKind {
  public static final String MISSING = "does not exist";

  private PathKind() {}

  /** Null for a regular file (links followed); else what the path is, e.g. "a folder". */
  public static String describeIfNotRegular(Path p) {
    return describe(p, true);
  }

  /** Null for a regular file or nothing at all (links not followed); else what is there. */
  public static String describeIfNotRegularOrMissing(Path p) {
    String d = describe(p, false);
    return MISSING.equals(d) ? null : d;
  }

  private static String describe(Path p, boolean followLinks) {
    LinkOption[] options = followLinks ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(p, BasicFileAttributes.class, options);
    } catch (IOException e) {
      return MISSING;
    }
    if (a.isRegularFile()) {
      return null;
    }
    if (a.isDirectory()) {
      return "a folder";
    }
    if (a.isSymbolicLink()) {
      return "a symbolic link";
    }
    return special(p, options);
  }

  /** A FIFO, a device or a socket, by the Unix mode where the platform gives it. */
  private static String special(Path p, LinkOption[] options) {
    try {
      int mode = (Integer) Files.getAttribute(p, "unix:mode", options);
      switch (mode & 0170000) {
        case 0010000:
          return "a FIFO (named pipe)";
        case 0020000:
          return "a character device";
        case 0060000:
          return "a block device";
        case 0140000:
          return "a socket";
        default:
          return "a special file";
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
      return "a special file";
    }
  }
}
