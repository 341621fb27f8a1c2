package org.memvirt.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConfigSettingsTest {
  @Test
  void unknownKeysAreNamedWithTheirLineAndTheKnownOnes() {
    ConfigNode tree = YamlTree.parse("host:\n  memory: 1GiB\n  colour: red\n", "x.yaml");
    ConfigSettings root = new ConfigSettings(tree, "");
    root.section("host").bytes("memory", 0);
    assertThatThrownBy(() -> ConfigSettings.checkNoUnknownKeys(tree, ""))
        .isInstanceOf(ExperimentException.class)
        .hasMessage("x.yaml:3: host.colour: unknown key; known here: memory");
  }

  @Test
  void wrongValuesNameFileLineKeyAndExpectation() {
    ConfigSettings root = new ConfigSettings(YamlTree.parse("a: 1\nb: fast\n", "y.yaml"), "");
    assertThatThrownBy(() -> root.rate("b", 1))
        .hasMessage("y.yaml:2: b: expected a positive rate like 100M/s or 250/s, got 'fast'");
    assertThat(root.count("a", 0)).isEqualTo(1);
    assertThat(root.count("missing", 7)).isEqualTo(7);
  }

  @Test
  void malformedYamlIsOneLine() {
    assertThatThrownBy(() -> YamlTree.parse("a: [1, 2\nb: 3\n", "z.yaml"))
        .isInstanceOf(ExperimentException.class)
        .hasMessageStartingWith("z.yaml:")
        .hasMessageContaining("malformed YAML")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void duplicateKeysAreRefused() {
    assertThatThrownBy(() -> YamlTree.parse("a: 1\na: 2\n", "d.yaml")).hasMessage("d.yaml:2: duplicate key 'a'");
  }
}
