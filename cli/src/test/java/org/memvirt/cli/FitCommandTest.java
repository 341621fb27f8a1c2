package org.memvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code memvirt fit} on cases whose answer is known exactly, and its bad input. */
class FitCommandTest {
  @TempDir
  Path dir;

  /** VMs that each touch 8 MiB on a 64 MiB host without reclamation: 7 fit, the 8th runs the host out. */
  @Test
  void findsTheLargestCountThatMeetsTheObjective() throws Exception {
    Path f = dir.resolve("fit.yaml");
    Files.writeString(f, """
        duration: 1s
        host: {memory: 64MiB}
        vms:
          - name: other
            memory: 4MiB
            processes: [{workload: {type: idle, footprint: 64KiB, rate: 1M/s}}]
          - name: web
            memory: 16MiB
            processes: [{workload: {type: sequential, footprint: 8MiB, writes: 1, stride: 4KiB, rate: 1M/s}}]
        """);
    Path out = dir.resolve("out");
    CliTest.Outcome o = CliTest.memvirt("fit", f.toString(), "--vm", "web", "--objective", "accesses>=1",
        "--seeds", "2", "--out", out.toString());
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).startsWith("fit: 7 copies of 'web' meet accesses >= 1 (worst ")
        .contains("at 8: the run failed: host out of memory", "tried: 1 2 4 6 7 8x\n");
    assertThat(Files.readString(out.resolve("fit.csv")))
        .startsWith("copies,meets,accesses,worst_at,failure,partial\n1,true,").contains("\n8,false,,").endsWith(",false\n");
    assertThat(Files.size(out.resolve("fit.png"))).isPositive();
  }

  /**
   * A mix: each unit is 2 VMs touching 4 MiB and 1 touching 8 MiB (16 MiB a unit) on a 64 MiB
   * host with 4 MiB of another VM: 3 units fit (12 MiB + 48 MiB + page tables), the 4th runs
   * the host out.
   */
  @Test
  void aMixOfTemplatesScalesEachByItsShare() throws Exception {
    Path f = dir.resolve("mix.yaml");
    Files.writeString(f, """
        duration: 1s
        host: {memory: 64MiB}
        vms:
          - name: other
            memory: 4MiB
            processes: [{workload: {type: idle, footprint: 64KiB, rate: 1M/s}}]
          - name: small
            memory: 8MiB
            processes: [{workload: {type: sequential, footprint: 4MiB, writes: 1, stride: 4KiB, rate: 1M/s}}]
          - name: big
            memory: 16MiB
            processes: [{workload: {type: sequential, footprint: 8MiB, writes: 1, stride: 4KiB, rate: 1M/s}}]
        """);
    CliTest.Outcome o = CliTest.memvirt("fit", f.toString(), "--vm", "small:2", "--vm", "big", "--objective",
        "accesses>=1");
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).startsWith("fit: 3 copies of the mix 2 x 'small' + 'big' (9 VMs) meet accesses >= 1")
        .contains("at 4: the run failed: host out of memory", "tried: 1 2 3 4x\n");
    CliTest.Outcome twice = CliTest.memvirt("fit", f.toString(), "--vm", "small", "--vm", "small:2", "--objective",
        "accesses>=1");
    assertThat(twice.err()).isEqualTo("memvirt: --vm small:2: small is named twice" + System.lineSeparator());
    CliTest.Outcome share = CliTest.memvirt("fit", f.toString(), "--vm", "small:0", "--objective", "accesses>=1");
    assertThat(share.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(share.err()).startsWith("memvirt: --vm small:0: expected NAME or NAME:K with K a count of 1 or more");
  }

  /** A host metric, and an objective that always holds: the search stops at --max. */
  @Test
  void aHostMetricAndAnObjectiveThatAlwaysHoldsStopAtMax() throws Exception {
    Path f = dir.resolve("small.yaml");
    Files.writeString(f, """
        duration: 100ms
        host: {memory: 256MiB}
        vms:
          - {name: vm, memory: 4MiB, processes: [{workload: {type: uniform, footprint: 1MiB, rate: 100K/s}}]}
        """);
    CliTest.Outcome o = CliTest.memvirt("fit", f.toString(), "--objective", "host.host_free_frames>0", "--max", "5");
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).startsWith("fit: 5 copies of the first VM meet host.host_free_frames > 0")
        .contains("(the search stopped at --max 5)", "tried: 1 2 4 5\n");
  }

  @Test
  void badObjectivesAndVmsAreOneLine() throws Exception {
    Path f = dir.resolve("small.yaml");
    Files.writeString(f, """
        duration: 100ms
        vms:
          - {name: vm, memory: 4MiB, processes: [{workload: {type: uniform, footprint: 1MiB}}]}
        """);
    CliTest.Outcome shape = CliTest.memvirt("fit", f.toString(), "--objective", "slowdown about 2");
    assertThat(shape.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(shape.err()).startsWith("memvirt: --objective slowdown about 2: expected METRIC<=VALUE");
    CliTest.Outcome metric = CliTest.memvirt("fit", f.toString(), "--objective", "speed>=2");
    assertThat(metric.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(metric.err()).startsWith("memvirt: --objective speed >= 2: speed is not a metric of this run; known: ");
    CliTest.Outcome vm = CliTest.memvirt("fit", f.toString(), "--objective", "slowdown<=2", "--vm", "db");
    assertThat(vm.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(vm.err()).isEqualTo("memvirt: --vm db: expected the name of a VM in the file (vm)" + System.lineSeparator());
  }
}
