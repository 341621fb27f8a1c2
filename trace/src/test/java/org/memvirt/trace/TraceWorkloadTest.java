package org.memvirt.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.memvirt.api.AccessKind;
import org.memvirt.api.Settings;
import org.memvirt.api.workload.AccessBatch;
import org.memvirt.api.workload.Workload;
import org.memvirt.testkit.FakeWorkloadContext;
import org.memvirt.testkit.MapSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceWorkloadTest {
  @TempDir
  Path dir;

  record Access(long address, int kind, long value) {}

  static Workload create(Map<String, Object> settings) {
    Settings s = new MapSettings(settings);
    return new TraceWorkloadFactory().create(new FakeWorkloadContext(s, 1));
  }

  /** Every access, drawn through a small batch so records straddle batches. */
  static List<Access> drain(Workload w, int limit) {
    List<Access> out = new ArrayList<>();
    AccessBatch b = new AccessBatch(3);
    int n;
    while (out.size() < limit && (n = w.next(b)) > 0) {
      for (int i = 0; i < n; i++) {
        out.add(new Access(b.addresses[i], b.kinds[i], b.values[i]));
      }
    }
    return out;
  }

  Path trace(String text) throws IOException {
    return Files.writeString(dir.resolve("t.lackey"), text);
  }

  @Test
  void kindsMapToFetchReadAndWrite() throws IOException {
    Path t = trace("I  1000,4\n L 2000,8\n S 3000,8\n M 4000,4\n");
    List<Access> a = drain(create(Map.of("path", t.toString())), 100);
    assertThat(a).extracting(Access::address).containsExactly(0x1000L, 0x2000L, 0x3000L, 0x4000L);
    assertThat(a).extracting(Access::kind)
        .containsExactly(AccessKind.FETCH, AccessKind.READ, AccessKind.WRITE, AccessKind.WRITE);
    assertThat(a.get(0).value()).isZero();
    assertThat(a.get(1).value()).isZero();
    assertThat(a.get(2).value()).isNotZero();
    assertThat(a.get(3).value()).isNotZero().isNotEqualTo(a.get(2).value());
  }

  @Test
  void anAccessCrossingPagesIsTranslatedOncePerPageInOrder() throws IOException {
    Path t = trace(" L 1ffc,8\n S 2ff8,8\nI  3ffe,8\n L 4ff0,8200\n");
    List<Access> a = drain(create(Map.of("path", t.toString())), 100);
    assertThat(a).extracting(Access::address)
        .containsExactly(0x1ffcL, 0x2000L, 0x2ff8L, 0x3ffeL, 0x4000L, 0x4ff0L, 0x5000L, 0x6000L);
    assertThat(a).extracting(Access::kind).containsExactly(AccessKind.READ, AccessKind.READ, AccessKind.WRITE,
        AccessKind.FETCH, AccessKind.FETCH, AccessKind.READ, AccessKind.READ, AccessKind.READ);
  }

  /** A trace with no access would run zero accesses (or, looping, never advance): refused when the workload is made. */
  @Test
  void aTraceWithoutAccessesIsRefusedInOneLine() throws IOException {
    Path t = trace("==1== nothing traced\n");
    for (Map<String, Object> settings : List.<Map<String, Object>>of(Map.of("path", t.toString()),
        Map.of("path", t.toString(), "loop", "true"))) {
      assertThatThrownBy(() -> create(settings)).isInstanceOf(EmptyTraceException.class)
          .hasMessage(t + ": holds no memory accesses (expected valgrind lackey records or a memvirt binary trace; "
              + "this one is empty, has only a header, or is text without records)");
    }
  }

  @Test
  void loopStartsOverAndOffsetShiftsEveryAddress() throws IOException {
    Path t = trace("I  1000,4\n S 2000,8\n");
    List<Access> a = drain(create(Map.of("path", t.toString(), "loop", "true", "offset", "0x100000000")), 6);
    assertThat(a).extracting(Access::address).containsExactly(0x100001000L, 0x100002000L, 0x100001000L,
        0x100002000L, 0x100001000L, 0x100002000L);
    assertThat(drain(create(Map.of("path", t.toString(), "offset", "4GiB")), 10))
        .extracting(Access::address).containsExactly(0x100001000L, 0x100002000L);
  }

  @Test
  void guestsReplayingTheSameTraceWriteTheSameContent() throws IOException {
    Path t = trace(" S 2000,8\n S 2008,8\n M 5000,8\n");
    Map<String, Object> s = new HashMap<>(Map.of("path", "lackey:" + t));
    assertThat(drain(create(s), 10)).isEqualTo(drain(create(s), 10));
  }

  @Test
  void badSettingsAndAddressesAreReported() throws IOException {
    Path t = trace(" L 7ffffffff000,8\n");
    assertThatThrownBy(() -> create(Map.of())).hasMessageContaining("path");
    assertThatThrownBy(() -> create(Map.of("path", dir.resolve("none.lackey").toString())))
        .hasMessageContaining("none.lackey");
    assertThatThrownBy(() -> create(Map.of("path", t.toString(), "offset", "0x1001")))
        .hasMessageContaining("offset");
    Workload w = create(Map.of("path", t.toString(), "offset", "0x1000"));
    assertThatThrownBy(() -> drain(w, 10)).isInstanceOf(TraceFormatException.class)
        .hasMessageEndingWith("t.lackey: address 0x7ffffffff000 + offset 0x1000 lies outside the 47-bit user address space");
  }
}
