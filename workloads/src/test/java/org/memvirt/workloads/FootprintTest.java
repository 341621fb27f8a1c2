package org.memvirt.workloads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memvirt.testkit.MapSettings;

/** What a process of each workload touches at most, for the engine's heap estimate. */
class FootprintTest {
  private static PatternWorkloadFactory pattern(String name) {
    return WorkloadsPlugin.FACTORIES.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aPatternTouchesItsDataAndItsCode() {
    assertThat(pattern("uniform").footprintBytes(new MapSettings(Map.of("footprint", "64MiB"))))
        .isEqualTo((64L << 20) + (1L << 20));
    assertThat(pattern("zipf").footprintBytes(new MapSettings(Map.of("footprint", "1GiB", "code", "4MiB"))))
        .isEqualTo((1L << 30) + (4L << 20));
    assertThat(pattern("idle").footprintBytes(new MapSettings(Map.of())))
        .as("the defaults").isEqualTo((256L << 20) + (1L << 20));
  }

  @Test
  void anImageTouchesItsSize() {
    assertThat(new ImageWorkloadFactory().footprintBytes(new MapSettings(Map.of("footprint", "8MiB"))))
        .isEqualTo(8L << 20);
  }

  @Test
  void badSettingsAreLeftForCreateToReport() {
    assertThat(pattern("uniform").footprintBytes(new MapSettings(Map.of("footprint", "lots")))).isEqualTo(-1);
    assertThat(new ImageWorkloadFactory().footprintBytes(new MapSettings(Map.of("footprint", "lots"))))
        .isEqualTo(-1);
    assertThat(new DedupProbeFactory().footprintBytes(new MapSettings(Map.of()))).as("cannot tell").isEqualTo(-1);
  }
}
