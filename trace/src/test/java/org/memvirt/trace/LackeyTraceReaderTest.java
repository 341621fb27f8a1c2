package org.memvirt.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LackeyTraceReaderTest {
  static TraceRecords readAll(String text) throws IOException {
    try (TraceReader r = new LackeyTraceReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)),
        "t.lackey")) {
      TraceRecords out = new TraceRecords(64);
      int n = r.read(out);
      assertThat(r.read(new TraceRecords(1))).isZero();
      TraceRecords exact = new TraceRecords(n);
      System.arraycopy(out.addresses, 0, exact.addresses, 0, n);
      System.arraycopy(out.kinds, 0, exact.kinds, 0, n);
      System.arraycopy(out.sizes, 0, exact.sizes, 0, n);
      return exact;
    }
  }

  @Test
  void readsEveryRecordKindAndSkipsOtherLines() throws IOException {
    TraceRecords r = readAll("""
        ==26557== Lackey, an example Valgrind tool
        ==26557== Command: sort -n input.txt
        I  0401ab70,3
         L 1fff000748,8
         S 04021e38,16
         M 0402a0c0,4
        program output that is not a record
        I am program output too
        I  0401ab73,5
        ==26557== Counted 0 calls to main()
        """);
    assertThat(r.addresses).containsExactly(0x401ab70L, 0x1fff000748L, 0x4021e38L, 0x402a0c0L, 0x401ab73L);
    assertThat(r.kinds).containsExactly(TraceKind.FETCH, TraceKind.LOAD, TraceKind.STORE, TraceKind.MODIFY,
        TraceKind.FETCH);
    assertThat(r.sizes).containsExactly(3, 8, 16, 4, 5);
  }

  @Test
  void toleratesWindowsLineEndsAndAMissingLastNewline() throws IOException {
    TraceRecords r = readAll("I  0401ab70,3\r\n L 10,8");
    assertThat(r.addresses).containsExactly(0x401ab70L, 0x10L);
    assertThat(r.sizes).containsExactly(3, 8);
  }

  @Test
  void anEmptyTraceHasNoRecords() throws IOException {
    assertThat(readAll("").addresses).isEmpty();
    assertThat(readAll("==1== only valgrind's banner\n").addresses).isEmpty();
  }

  @Test
  void malformedRecordsNameTheLine() {
    assertThatThrownBy(() -> readAll("I  0401ab70,3\n L 1fff0g0748,8\n"))
        .isInstanceOf(TraceFormatException.class)
        .hasMessage("t.lackey:2: malformed lackey record 'L 1fff0g0748,8': expected a hex address");
    assertThatThrownBy(() -> readAll("\n\n S 04021e38\n"))
        .hasMessage("t.lackey:3: malformed lackey record 'S 04021e38': expected 'address,size'");
    assertThatThrownBy(() -> readAll(" M 10,0\n"))
        .hasMessage("t.lackey:1: malformed lackey record 'M 10,0': expected a size from 1 to 1048576 bytes");
    assertThatThrownBy(() -> readAll("I  10,x\n"))
        .hasMessage("t.lackey:1: malformed lackey record 'I  10,x': expected a decimal size");
    assertThatThrownBy(() -> readAll(" L 11112222333344445,8\n"))
        .hasMessageContaining(":1: malformed").hasMessageEndingWith("expected a hex address");
  }
}
