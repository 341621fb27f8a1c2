package org.memvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.memvirt.api.SettingInfo;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.sim.Experiment;
import org.memvirt.engine.sim.ExperimentReference;
import org.memvirt.engine.sim.Experiments;

/**
 * docs/experiment-reference.yaml is what {@code memvirt validate --reference} writes, and
 * every key a technique reads (with its default filled in when the reference is validated)
 * is one its factory documents.
 */
class ReferenceDocumentationTest {
  private static final PluginRegistry PLUGINS = PluginRegistry.discover();
  private static final Path REFERENCE = Path.of("..", "docs", "experiment-reference.yaml");

  @Test
  void theReferenceFileIsTheAssembledReference() throws Exception {
    assertThat(Files.readString(REFERENCE)).isEqualTo(ExperimentReference.assemble(PLUGINS));
    assertThat(CliTest.memvirt("validate", "--reference").out()).isEqualTo(ExperimentReference.assemble(PLUGINS));
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyKeyATechniqueReadsIsDocumented() {
    Experiment e = Experiments.load(REFERENCE, List.of());
    Experiments.validate(e, PLUGINS);
    Map<String, Object> tree = (Map<String, Object>) e.resolved();
    Map<String, Object> reclaim = (Map<String, Object>) tree.get("reclaim");
    PLUGINS.reclaimers().forEach((name, f) -> assertThat(keys((Map<String, Object>) reclaim.get(name), ""))
        .as("reclaim." + name).isSubsetOf(documented(f.settings())));
    Map<String, Object> policy = (Map<String, Object>) tree.get("policy");
    Set<String> policyKeys = keys(policy, "");
    policyKeys.remove("type");
    assertThat(policyKeys).isSubsetOf(documented(PLUGINS.policies().get((String) policy.get("type")).settings()));
    Set<String> engine = Set.of("type", "rate", "switch_rate", "accesses", "large_pages", "lifetime");
    List<Map<String, Object>> vms = (List<Map<String, Object>>) tree.get("vms");
    for (Map<String, Object> process : (List<Map<String, Object>>) vms.get(1).get("processes")) {
      Map<String, Object> w = (Map<String, Object>) process.get("workload");
      Set<String> read = keys(w, "");
      read.removeAll(engine);
      assertThat(read).as("workload " + w.get("type"))
          .isSubsetOf(documented(PLUGINS.workloads().get((String) w.get("type")).settings()));
    }
  }

  private static Set<String> documented(List<SettingInfo> settings) {
    Set<String> out = new HashSet<>();
    settings.forEach(s -> out.add(s.key()));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Set<String> keys(Map<String, Object> section, String prefix) {
    Set<String> out = new HashSet<>();
    section.forEach((k, v) -> {
      if (v instanceof Map<?, ?> m) {
        out.addAll(keys((Map<String, Object>) m, prefix + k + "."));
      } else {
        out.add(prefix + k);
      }
    });
    return out;
  }
}
