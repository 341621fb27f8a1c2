package org.memvirt.engine.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.memvirt.engine.run.Experiments;

class SweepExpansionTest {
  static final String BASE = """
      seed: 5
      mmu: {type: [ept, shadow]}
      vms:
        - name: a
          memory: 1GiB
          processes: [{workload: {type: uniform}}]
        - name: b
          memory: [256MiB, 512MiB, 1GiB]
          processes: [{workload: {type: uniform}}]
      """;

  @Test
  void axesAreNamedByPathAndExpandFirstSlowest() {
    Sweep s = Experiments.parseSweep(BASE, "s.yaml");
    assertThat(s.axes()).extracting(Sweep.Axis::path).containsExactly("mmu.type", "vms[1].memory");
    assertThat(s.size()).isEqualTo(6);
    List<Sweep.Point> points = s.points();
    assertThat(points).extracting(Sweep.Point::label).containsExactly(
        "mmu.type=ept, vms[1].memory=256MiB", "mmu.type=ept, vms[1].memory=512MiB",
        "mmu.type=ept, vms[1].memory=1GiB", "mmu.type=shadow, vms[1].memory=256MiB",
        "mmu.type=shadow, vms[1].memory=512MiB", "mmu.type=shadow, vms[1].memory=1GiB");
    assertThat(points.get(4).experiment().mmuType).isEqualTo("shadow");
    assertThat(points.get(4).experiment().vms.get(1).memoryBytes()).isEqualTo(512L << 20);
    // The list in the written experiment is untouched.
    assertThat(s.tree().entries().get("mmu").entries().get("type").elements()).hasSize(2);
  }

  @Test
  void seedsAreDerivedPerPointAndStableUnderNewValues() {
    List<Sweep.Point> points = Experiments.parseSweep(BASE, "s.yaml").points();
    assertThat(points).extracting(p -> p.experiment().seed).doesNotHaveDuplicates().doesNotContain(5L);
    // Adding a value to an axis leaves the seeds of the existing points as they were.
    List<Sweep.Point> more = Experiments.parseSweep(BASE.replace("[256MiB, 512MiB, 1GiB]",
        "[256MiB, 512MiB, 1GiB, 2GiB]"), "s.yaml").points();
    assertThat(more).hasSize(8);
    for (Sweep.Point p : points) {
      Sweep.Point same = more.stream().filter(m -> m.label().equals(p.label())).findFirst().orElseThrow();
      assertThat(same.experiment().seed).isEqualTo(p.experiment().seed);
    }
  }

  @Test
  void withoutListsItIsOnePointWithTheExperimentsOwnSeed() {
    Sweep s = Experiments.parseSweep(BASE.replace("[ept, shadow]", "ept").replace("[256MiB, 512MiB, 1GiB]", "1GiB"),
        "s.yaml");
    assertThat(s.isSweep()).isFalse();
    assertThat(s.points()).singleElement().satisfies(p -> {
      assertThat(p.label()).isEmpty();
      assertThat(p.experiment().seed).isEqualTo(5);
    });
  }
}
