package org.memvirt.cli;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.memvirt.api.BadInputException;
import org.memvirt.engine.config.PathKind;

/**
 * Where memvirt may write, checked before anything is written: a regular file in a folder
 * that exists (an existing one only with {@code --force}), or a folder that exists or can be
 * made. Never a symbolic link (memvirt does not write through links), a folder where a file
 * is expected, or a FIFO, device or socket: those are refused in one line naming the path.
 */
final class OutputPaths {
  private OutputPaths() {}

  /** {@code option}'s file {@code file}: refused unless memvirt may create it (or replace it, with {@code force}). */
  static void checkFile(Path file, String option, boolean force) {
    String what = PathKind.describeIfNotRegularOrMissing(file);
    if (what != null) {
      throw new BadInputException(option + file + ": " + what + "; memvirt writes only regular files (never through a "
          + "link, into a folder, a FIFO or a device)");
    }
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !force) {
      throw new BadInputException(option + file + ": exists; pass --force to replace it");
    }
    Path parent = file.toAbsolutePath().getParent();
    if (!Files.isDirectory(parent)) {
      throw new BadInputException(option + file + ": " + (Files.exists(parent) ? parent + " is not a folder"
          : "the folder " + parent + " does not exist"));
    }
    if (!Files.isWritable(parent)) {
      throw new BadInputException(option + file + ": the folder " + parent + " is not writable");
    }
    String refused = refusesNewFiles(parent);
    if (refused != null) {
      throw new BadInputException(option + file + ": the folder " + parent + " takes no new files (" + refused + ")");
    }
  }

  /**
   * {@code option}'s folder {@code dir}: an existing folder that is writable, or one that can
   * be made (its nearest existing ancestor a writable folder). Nothing is created here.
   */
  static void checkFolder(Path dir, String option) {
    String what = PathKind.describeIfNotRegularOrMissing(dir);
    if (what == null && Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      what = "a file";
    }
    if (what != null && !what.equals("a folder")) {
      throw new BadInputException(option + dir + ": " + what + ", expected a folder (memvirt never writes through a "
          + "link)");
    }
    Path existing = dir.toAbsolutePath();
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing)) {
      throw new BadInputException(option + dir + ": cannot be made: " + existing + " is not a folder");
    }
    boolean made = existing.equals(dir.toAbsolutePath());
    if (!Files.isWritable(existing)) {
      throw new BadInputException(option + dir + ": " + (made ? "the folder is" : "cannot be made: " + existing + " is")
          + " not writable");
    }
    String refused = refusesNewFiles(existing);
    if (refused != null) {
      throw new BadInputException(option + dir + ": " + (made ? "the folder takes" : "cannot be made: " + existing
          + " takes") + " no new files (" + refused + ")");
    }
  }

  /**
   * Why {@code folder} refuses a new file although its permissions allow one (a file system
   * such as /proc or /sys, a read-only mount), found by making one and removing it at once;
   * null when it takes them.
   */
  private static String refusesNewFiles(Path folder) {
    try {
      Files.delete(Files.createTempFile(folder, ".memvirt-", ".probe"));
      return null;
    } catch (java.nio.file.FileSystemException e) {
      return e.getReason() != null ? e.getReason() : e instanceof java.nio.file.AccessDeniedException
          ? "permission denied" : "a new file there cannot be created";
    } catch (java.io.IOException e) {
      return e.getMessage();
    }
  }
}
