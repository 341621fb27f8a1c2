package org.memvirt.api.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WholeFileTest {
  @TempDir
  Path dir;

  private String[] names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
    }
  }

  @Test
  void aFileIsWrittenWholeWithTheModeAnyNewFileGets() throws Exception {
    Path out = dir.resolve("out.txt");
    WholeFile.write(out, "hello".getBytes(StandardCharsets.UTF_8));
    assertThat(Files.readString(out)).isEqualTo("hello");
    // Replaced whole, the same way.
    WholeFile.Content<Integer> five = o -> {
      o.write("again".getBytes(StandardCharsets.UTF_8));
      return 5;
    };
    int returned = WholeFile.write(out, five);
    assertThat(returned).isEqualTo(5);
    assertThat(Files.readString(out)).isEqualTo("again");
    Path plain = Files.createFile(dir.resolve("plain"));
    assertThat(Files.getPosixFilePermissions(out)).isEqualTo(Files.getPosixFilePermissions(plain));
    assertThat(names()).containsExactly("out.txt", "plain");
  }

  @Test
  void aWriterThatFailsLeavesTheOldFileAndNoTemporaryOne() throws Exception {
    Path out = Files.writeString(dir.resolve("out.txt"), "old");
    WholeFile.Content<Void> failing = o -> {
      o.write("half".getBytes(StandardCharsets.UTF_8));
      throw new IOException("disk full");
    };
    assertThatThrownBy(() -> WholeFile.write(out, failing)).hasMessage("disk full");
    assertThat(Files.readString(out)).isEqualTo("old");
    assertThat(names()).containsExactly("out.txt");
  }

  @Test
  void rewritingInPlaceReplacesTheContentOfARegularFileOnly() throws Exception {
    Path out = Files.writeString(dir.resolve("out.txt"), "a longer content");
    WholeFile.rewriteInPlace(out, "short".getBytes(StandardCharsets.UTF_8));
    assertThat(Files.readString(out)).isEqualTo("short");
    Path link = Files.createSymbolicLink(dir.resolve("link"), out);
    assertThatThrownBy(() -> WholeFile.rewriteInPlace(link, new byte[1])).hasMessageEndingWith("not a regular file");
    assertThat(Files.readString(out)).isEqualTo("short");
  }
}
