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
import org.memvirt.engine.experiment.Experiment;
import org.memvirt.engine.experiment.ExperimentReference;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.run.Experiments;

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
    PLUGINS.reclaimers().forEach((name, f) -> {
      Map<String, Object> section = (Map<String, Object>) reclaim.get(name);
      assertThat(keys(section, "")).as("reclaim." + name).isSubsetOf(documented(f.settings()));
    });
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

  /** With empty sections, each technique fills in its defaults: they are the ones it documents. */
  @Test
  @SuppressWarnings("unchecked")
  void everyDocumentedDefaultIsTheDefaultATechniqueApplies() {
    StringBuilder reclaim = new StringBuilder();
    PLUGINS.reclaimers().keySet().forEach(n -> reclaim.append(n).append(": {}, "));
    StringBuilder processes = new StringBuilder();
    PLUGINS.workloads().keySet().stream().filter(w -> !w.equals("trace"))
        .forEach(w -> processes.append("{workload: {type: ").append(w).append("}}, "));
    Experiment e = Experiments.parse("""
        reclaim: {%s}
        policy: {type: shares}
        vms:
          - {name: a, memory: 1GiB, processes: [%s]}
        """.formatted(reclaim, processes), "defaults");
    Experiments.validate(e, PLUGINS);
    Map<String, Object> tree = (Map<String, Object>) e.resolved();
    Map<String, Object> sections = (Map<String, Object>) tree.get("reclaim");
    PLUGINS.reclaimers().forEach((name, f) ->
        assertDefaults("reclaim." + name, (Map<String, Object>) sections.get(name), f.settings()));
    assertDefaults("policy", (Map<String, Object>) tree.get("policy"), PLUGINS.policies().get("shares").settings());
    List<Map<String, Object>> vms = (List<Map<String, Object>>) tree.get("vms");
    for (Map<String, Object> process : (List<Map<String, Object>>) vms.get(0).get("processes")) {
      Map<String, Object> w = (Map<String, Object>) process.get("workload");
      assertDefaults("workload " + w.get("type"), w, PLUGINS.workloads().get((String) w.get("type")).settings());
    }
  }

  @SuppressWarnings("unchecked")
  private static void assertDefaults(String where, Map<String, Object> section, List<SettingInfo> documented) {
    for (SettingInfo si : documented) {
      if (!si.live()) {
        continue;
      }
      Object v = section;
      for (String part : si.key().split("\\.")) {
        v = v instanceof Map<?, ?> m ? ((Map<String, Object>) m).get(part) : null;
      }
      assertThat(same(String.valueOf(v), si.value())).as(where + "." + si.key() + ": applied " + v + ", documented "
          + si.value()).isTrue();
    }
  }

  /** The same value however it is written (0 and 0.0, 60s and 1min, 1MiB and 1048576). */
  private static boolean same(String a, String b) {
    if (a.equals(b)) {
      return true;
    }
    for (java.util.function.Function<String, Object> parse : List.<java.util.function.Function<String, Object>>of(
        t -> t.matches("-?[0-9.]+([eE][-+]?[0-9]+)?") ? (Object) Double.parseDouble(t) : null,
        t -> t.startsWith("0x") ? (Object) Long.parseUnsignedLong(t.substring(2), 16)
            : org.memvirt.engine.config.Units.bytes(t), org.memvirt.engine.config.Units::durationNanos,
        org.memvirt.engine.config.Units::ratePerSecond, org.memvirt.engine.config.Units::count)) {
      Object x = parse.apply(a);
      Object y = parse.apply(b);
      if (x != null && x.equals(y)) {
        return true;
      }
    }
    return false;
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
