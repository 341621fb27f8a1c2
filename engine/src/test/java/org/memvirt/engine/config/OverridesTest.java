package org.memvirt.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OverridesTest {
  private static final String YAML = """
      mmu:
        tlb:
          l2: {entries: 1536, ways: 12}
      vms:
        - name: a
          memory: 2GiB
        - name: b
          memory: 2GiB
      """;

  @Test
  void setsMapKeysAndListElements() {
    ConfigNode tree = YamlTree.parse(YAML, "e.yaml");
    Overrides.apply(tree, List.of("vms[1].memory=1GiB", "mmu.tlb.l2.entries=512", "host.memory=4GiB"));
    ConfigSettings root = new ConfigSettings(tree, "");
    assertThat(root.sectionList("vms").get(1).bytes("memory", 0)).isEqualTo(1L << 30);
    assertThat(root.sectionList("vms").get(0).bytes("memory", 0)).isEqualTo(2L << 30);
    assertThat(root.section("mmu").section("tlb").section("l2").count("entries", 0)).isEqualTo(512);
    assertThat(root.section("host").bytes("memory", 0)).isEqualTo(4L << 30);
  }

  @Test
  void valuesAreYaml() {
    ConfigNode tree = YamlTree.parse(YAML, "e.yaml");
    Overrides.apply(tree, List.of("vms[0].guest={replacement: lru, swap: 1GiB}"));
    ConfigSettings guest = new ConfigSettings(tree, "").sectionList("vms").get(0).section("guest");
    assertThat(guest.string("replacement", null)).isEqualTo("lru");
  }

  @Test
  void badPathsSayWhatIsWrong() {
    ConfigNode tree = YamlTree.parse(YAML, "e.yaml");
    assertThatThrownBy(() -> Overrides.apply(tree, "vms[5].memory=1GiB"))
        .hasMessage("--set vms: index 5 is out of range (the list has 2 elements)".replace("--set vms", "--set vms[5].memory"));
    assertThatThrownBy(() -> Overrides.apply(tree, "memory"))
        .hasMessageContaining("expected path.to.key=value");
  }
}
