package org.memvirt.engine.run;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.memvirt.engine.host.FrameTableViolation;

/**
 * The ownership contract of frames and P2M entries catches each kind of mistake a
 * technique can make, naming the frame, the VM and the technique: a deliberately broken
 * test technique ({@code toy-broken}) makes one of each.
 */
class FrameTableContractTest {
  private static final String MACHINE = """
      duration: 1s
      verify: true
      host: {memory: 64MiB}
      vms:
        - name: a
          memory: 32MiB
          processes:
            - workload: {type: uniform, footprint: 4MiB, writes: 0.5, rate: 200K/s}
      """;

  private static void runBroken(String bug) {
    Machines.run(MACHINE + "reclaim:\n  toy-broken: {bug: " + bug + "}\n");
  }

  @Test
  void aLeakedFrame() {
    assertThatThrownBy(() -> runBroken("leak"))
        .isInstanceOf(FrameTableViolation.class)
        .hasMessageMatching("frame table: host frame \\d+ is private to vm a guest page \\d+, which no longer maps it: "
            + "it is (ballooned, held by reclaim technique toy-broken|mapped to host frame \\d+) \\(a leaked frame\\)");
  }

  @Test
  void aDoubleFreedFrame() {
    assertThatThrownBy(() -> runBroken("double-free"))
        .isInstanceOf(FrameTableViolation.class)
        .hasMessageMatching("frame table: reclaim technique toy-broken: host frame \\d+ freed twice");
  }

  @Test
  void aReferenceCountOffByOne() {
    assertThatThrownBy(() -> runBroken("refcount"))
        .isInstanceOf(FrameTableViolation.class)
        .hasMessageMatching("frame table: host frame \\d+ is shared by (2|1) but (1|0) guest pages map it "
            + "\\(a reference count off by 1\\)");
  }

  @Test
  void aTechniqueOverwritingAnothersEntry() {
    // toy-swap holds pages of an overcommitted host's VMs; toy-broken then writes over one of them.
    String yaml = """
        duration: 2s
        verify: true
        host: {memory: 48MiB, reclaim_period: 100ms}
        vms:
          - {name: a, memory: 32MiB, processes: [{workload: {type: uniform, footprint: 24MiB, writes: 0.5, rate: 200K/s}}]}
          - {name: b, memory: 32MiB, processes: [{workload: {type: uniform, footprint: 24MiB, writes: 0.5, rate: 200K/s}}]}
        policy: {type: equal, fraction: 0.9}
        reclaim:
          toy-swap: {}
          toy-broken: {bug: overwrite}
        """;
    assertThatThrownBy(() -> Machines.run(yaml))
        .isInstanceOf(FrameTableViolation.class)
        .hasMessageMatching("frame table: reclaim technique toy-broken changed guest page \\d+ \\(swapped\\), which "
            + "reclaim technique toy-swap holds; ask it with requestRelease of vm a");
  }

  @Test
  void aWritableMappingOfASharedFrame() {
    assertThatThrownBy(() -> runBroken("writable-shared"))
        .isInstanceOf(FrameTableViolation.class)
        .hasMessageMatching("frame table: reclaim technique toy-broken mapped guest page \\d+ writable to host frame "
            + "\\d+, which is shared by 1 of vm a");
  }
}
