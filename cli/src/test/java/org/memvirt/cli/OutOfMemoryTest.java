package org.memvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that runs out of host memory writes what it measured, marked partial, then says
 * why in one line and exits with the bad-input code.
 */
class OutOfMemoryTest {
  @TempDir
  Path dir;

  @Test
  void theResultsSoFarAreWrittenBeforeTheOneLineError() throws Exception {
    Path file = Files.writeString(dir.resolve("over.yaml"), """
        duration: 3s
        host: {memory: 48MiB}
        vms:
          - {name: a, memory: 32MiB, processes: [{workload: {type: uniform, footprint: 24MiB, rate: 200K/s}}]}
          - {name: b, memory: 32MiB, processes: [{workload: {type: uniform, footprint: 24MiB, rate: 200K/s}}]}
        """);
    Path out = dir.resolve("out");
    CliTest.Outcome o = CliTest.memvirt("run", file.toString(), "--out", out.toString(), "--verify");
    assertThat(o.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(o.err().lines()).singleElement().asString()
        .startsWith("memvirt: host out of memory at ")
        .contains("no reclamation technique is configured");
    assertThat(o.out()).contains("PARTIAL (stopped: out of memory)").contains("accesses");
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.at("/experiment/partial").asBoolean()).isTrue();
    assertThat(summary.at("/experiment/failure").asText()).startsWith("host out of memory at ");
    assertThat(summary.at("/vms/0/metrics/accesses").asLong()).isPositive();
    assertThat(out.resolve("report.html")).exists();
  }

  @Test
  void anImpossibleReservationIsRefusedByValidate() throws Exception {
    Path file = Files.writeString(dir.resolve("min.yaml"), """
        host: {memory: 64MiB}
        vms:
          - {name: a, memory: 48MiB, min: 40MiB, processes: [{workload: {type: idle}}]}
          - {name: b, memory: 48MiB, min: 40MiB, processes: [{workload: {type: idle}}]}
        """);
    CliTest.Outcome o = CliTest.memvirt("validate", file.toString());
    assertThat(o.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(o.err()).isEqualTo("memvirt: " + file + ":4: vms[1].min: expected reservations that fit together in "
        + "host.memory 64MiB (the VMs so far reserve 80MiB), got '40MiB'\n");
  }
}
