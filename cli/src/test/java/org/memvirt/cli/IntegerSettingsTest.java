package org.memvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every whole-number setting that is held in 32 bits is checked before it is narrowed:
 * 2^32 plus a valid value (which would wrap to that value) is refused in one line naming the
 * key, in the engine and in every bundled plugin.
 */
class IntegerSettingsTest {
  @TempDir
  Path dir;

  /** One of everything that reads a count: nested or shadow paging, ballooning, KSM, shares, the side channel. */
  static final String ALL = """
      duration: 100ms
      host: {memory: 256MiB}
      mmu: {type: %s}
      vms:
        - name: a
          memory: 64MiB
          processes: [{workload: {type: phases, footprint: 8MiB}}]
        - name: b
          memory: 64MiB
          processes: [{workload: {type: dedup-probe, image: base, footprint: 1MiB}}]
      reclaim:
        balloon: {driver: virtio, deflate_on_oom: true}
        sharing: {scanner: ksm}
      policy: {type: shares}
      """;

  @ParameterizedTest(name = "{1} under {0}")
  @CsvSource({
      "ept, mmu.levels, 4",
      "ept, mmu.nested_levels, 4",
      "shadow, mmu.root_cache, 4",
      "shadow, mmu.flood_threshold, 3",
      "ept, mmu.tlb.l2.entries, 1536",
      "ept, mmu.tlb.l2.ways, 12",
      "ept, mmu.walk_cache.entries, 32",
      "ept, mmu.walk_cache.nested_tlb, 32",
      "ept, vms[0].levels, 4",
      "ept, vms[0].vcpus, 1",
      "ept, vms[0].copies, 1",
      "ept, vms[0].processes[0].copies, 1",
      "ept, reclaim.balloon.oom_pages, 256",
      "ept, reclaim.sharing.pages_to_scan, 100",
      "ept, reclaim.sharing.sleep_millisecs, 20",
      "ept, reclaim.sharing.max_page_sharing, 256",
      "ept, policy.sample.pages, 100",
      "ept, vms[1].processes[0].workload.guesses, 100",
      "ept, vms[1].processes[0].workload.calibration, 16",
  })
  void aValuePast32BitsIsRefusedNeverWrapped(String mmu, String key, long valid) throws Exception {
    Path file = Files.writeString(dir.resolve("exp.yaml"), ALL.formatted(mmu));
    assertThat(CliTest.memvirt("validate", file.toString(), "--set", key + "=" + valid).code()).as("valid").isZero();
    long wrapsToValid = (1L << 32) + valid;
    CliTest.Outcome o = CliTest.memvirt("validate", file.toString(), "--set", key + "=" + wrapsToValid);
    assertThat(o.code()).as(o.out()).isEqualTo(Main.BAD_INPUT);
    assertThat(o.err()).hasLineCount(1).contains(key + ": expected").contains("got '" + wrapsToValid + "'");
  }
}
