package org.memvirt.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class TraceFilesTest {
  static final String TEXT = """
      ==1== banner
      I  00400ffe,4
       L 7ff000ff8,16
       S 00601000,8
       M 00601008,8
      """;

  @TempDir
  Path dir;

  static String dump(TraceReader r) throws IOException {
    StringBuilder sb = new StringBuilder();
    TraceRecords rec = new TraceRecords(3);
    int n;
    while ((n = r.read(rec)) > 0) {
      for (int i = 0; i < n; i++) {
        sb.append(TraceKind.letter(rec.kinds[i])).append(' ').append(Long.toHexString(rec.addresses[i]))
            .append(',').append(rec.sizes[i]).append('\n');
      }
    }
    r.close();
    return sb.toString();
  }

  static final String RECORDS = "I 400ffe,4\nL 7ff000ff8,16\nS 601000,8\nM 601008,8\n";

  @Test
  void gzipAndXzAreReadTransparently() throws IOException {
    Path gz = dir.resolve("t.lackey.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
      o.write(TEXT.getBytes(StandardCharsets.US_ASCII));
    }
    Path xz = dir.resolve("whatever");
    try (OutputStream o = new XZOutputStream(Files.newOutputStream(xz), new LZMA2Options())) {
      o.write(TEXT.getBytes(StandardCharsets.US_ASCII));
    }
    assertThat(dump(TraceFiles.open(gz.toString()))).isEqualTo(RECORDS);
    assertThat(dump(TraceFiles.open(xz, null))).isEqualTo(RECORDS);
    assertThat(dump(TraceFiles.open("lackey:" + xz))).isEqualTo(RECORDS);
  }

  @Test
  void binaryRoundTripKeepsEveryRecord() throws IOException {
    Path text = Files.writeString(dir.resolve("t.lackey"), TEXT);
    Path bin = dir.resolve("t.mvt");
    assertThat(TraceFiles.convert(TraceFiles.open(text, null), bin, null)).isEqualTo(4);
    assertThat(Files.size(bin)).isEqualTo(BinaryTrace.HEADER_BYTES + 4 * BinaryTrace.RECORD_BYTES);
    assertThat(dump(TraceFiles.open(bin, null))).isEqualTo(RECORDS);
    // Recognised by content too, and back to lackey text, compressed on the way.
    Path noExtension = Files.copy(bin, dir.resolve("plain"));
    assertThat(dump(TraceFiles.open(noExtension, null))).isEqualTo(RECORDS);
    Path back = dir.resolve("back.lackey.xz");
    TraceFiles.convert(TraceFiles.open(bin, null), back, null);
    assertThat(dump(TraceFiles.open(back, null))).isEqualTo(RECORDS);
    Path binGz = dir.resolve("t.mvt.gz");
    TraceFiles.convert(TraceFiles.open(back, null), binGz, null);
    assertThat(dump(TraceFiles.open(binGz, null))).isEqualTo(RECORDS);
  }

  @Test
  void accessesLargerThanARecordAreSplitInBinary() throws IOException {
    Path text = Files.writeString(dir.resolve("big.lackey"), " S 1000,200\n");
    Path bin = dir.resolve("big.mvt");
    assertThat(TraceFiles.convert(TraceFiles.open(text, null), bin, null)).isEqualTo(1);
    assertThat(dump(TraceFiles.open(bin, null))).isEqualTo("S 1000,64\nS 1040,64\nS 1080,64\nS 10c0,8\n");
  }

  @Test
  void badFilesGiveOneLineErrors() throws IOException {
    assertThatThrownBy(() -> TraceFiles.open(dir.resolve("missing.mvt"), null))
        .isInstanceOf(TraceFormatException.class).hasMessageEndingWith("missing.mvt: no such trace file");
    Path notBinary = Files.writeString(dir.resolve("x.mvt"), "I  1000,4\n");
    assertThatThrownBy(() -> TraceFiles.open(notBinary, null))
        .hasMessageEndingWith("x.mvt: not a memvirt binary trace (expected the header 'MVTRACE')");
    Path bin = dir.resolve("t.mvt");
    TraceFiles.convert(TraceFiles.open(Files.writeString(dir.resolve("t.lackey"), TEXT), null), bin, null);
    byte[] bytes = Files.readAllBytes(bin);
    Path truncated = Files.write(dir.resolve("cut.mvt"), java.util.Arrays.copyOf(bytes, bytes.length - 3));
    assertThatThrownBy(() -> dump(TraceFiles.open(truncated, null)))
        .hasMessageEndingWith("cut.mvt: truncated record at byte 40 (5 of 8 bytes)");
    Path badGzip = Files.write(dir.resolve("bad.lackey.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2});
    assertThatThrownBy(() -> dump(TraceFiles.open(badGzip, null))).isInstanceOf(TraceFormatException.class)
        .hasMessageContaining("bad.lackey.gz:");
  }

  @Test
  void aFailedConversionLeavesNoFileBehind() throws IOException {
    Path text = Files.writeString(dir.resolve("bad.lackey"), "I  1000,4\n L zz,4\n");
    Path out = dir.resolve("out.mvt");
    assertThatThrownBy(() -> TraceFiles.convert(TraceFiles.open(text, null), out, null))
        .hasMessageEndingWith("bad.lackey:2: malformed lackey record 'L zz,4': expected a hex address");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("bad.lackey");
    }
  }
}
