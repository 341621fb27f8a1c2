package org.memvirt.engine.experiment;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.memvirt.api.SettingInfo;
import org.memvirt.api.mmu.CostEntry;
import org.memvirt.engine.plugin.PluginRegistry;

/**
 * The experiment reference ({@code memvirt validate --reference}, docs/experiment-reference.yaml):
 * the engine's own keys from its template, and every installed technique's section from
 * its factory's {@code settings()} and {@code vmSettings()}, each key with the value it
 * takes by default and what it means. The result is itself a valid experiment.
 */
public final class ExperimentReference {
  private static final int COMMENT_COLUMN = 31;

  private ExperimentReference() {}

  /** The reference for the plugins in {@code registry}. */
  public static String assemble(PluginRegistry registry) {
    String t = template();
    t = t.replace("@MMU\n", mmus(registry));
    t = t.replace("@COSTS\n", costs(registry));
    t = t.replace("@RECLAIM\n", reclaimers(registry));
    t = t.replace("@POLICY\n", policies(registry));
    t = t.replace("@VM\n", vmKeys(registry));
    t = t.replace("@WORKLOADS\n", workloads(registry));
    return t;
  }

  private static String template() {
    try (InputStream in = ExperimentReference.class.getResourceAsStream("reference.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("the engine's reference template is missing", e);
    }
  }

  /** The default MMU's keys live, the others' as comments. */
  private static String mmus(PluginRegistry r) {
    StringBuilder sb = new StringBuilder();
    r.mmus().forEach((name, f) -> {
      boolean live = name.equals("ept");
      if (!f.settings().isEmpty()) {
        sb.append(line(2, "# " + (live ? name + ":" : "with type: " + name + ":"), null, false));
        keys(sb, 2, f.settings(), live);
      }
    });
    return sb.toString();
  }

  private static String costs(PluginRegistry r) {
    StringBuilder sb = new StringBuilder();
    for (CostModel.Entry e : CostModel.ENTRIES) {
      sb.append(line(2, e.key() + ": " + e.defaultCost(), e.unit().word() + ": " + e.source(), false));
    }
    // Every technique's costs; those of the MMU and the policy the reference does not select
    // are known only with them, so they are shown as comments.
    r.mmus().forEach((name, f) -> techniqueCosts(sb, f.costs(), !name.equals("ept")));
    r.reclaimers().values().forEach(f -> techniqueCosts(sb, f.costs(), false));
    String policy = r.policies().isEmpty() ? null : r.policies().keySet().iterator().next();
    r.policies().forEach((name, f) -> techniqueCosts(sb, f.costs(), !name.equals(policy)));
    r.workloads().values().forEach(f -> techniqueCosts(sb, f.costs(), false));
    return sb.append('\n').toString();
  }

  private static void techniqueCosts(StringBuilder sb, List<CostEntry> costs, boolean commented) {
    for (CostEntry c : costs) {
      sb.append(line(2, c.key() + ": " + c.defaultCycles(), c.unit().word() + ": " + c.source(), commented));
    }
  }

  private static String reclaimers(PluginRegistry r) {
    StringBuilder sb = new StringBuilder();
    r.reclaimers().forEach((name, f) -> {
      sb.append(line(2, name + ":", f.description(), false));
      keys(sb, 4, f.settings(), true);
    });
    return sb.toString();
  }

  /** The first policy live, the others as comments (an experiment has one). */
  private static String policies(PluginRegistry r) {
    StringBuilder sb = new StringBuilder("\n");
    boolean first = true;
    for (var e : r.policies().entrySet()) {
      if (first) {
        sb.append(line(0, "policy:", "the allocation policy, by plugin name in `type` (without one, every VM's "
            + "target is its max)", false));
      }
      sb.append(line(2, "type: " + e.getKey(), e.getValue().description(), !first));
      keys(sb, 2, e.getValue().settings(), first);
      first = false;
    }
    return sb.append('\n').toString();
  }

  private static String vmKeys(PluginRegistry r) {
    StringBuilder sb = new StringBuilder();
    r.reclaimers().forEach((name, f) -> {
      List<SettingInfo> keys = new ArrayList<>();
      for (SettingInfo s : f.vmSettings()) {
        keys.add(new SettingInfo(s.key(), s.value(), "with reclaim." + name + ": " + s.meaning(), s.live()));
      }
      keys(sb, 4, keys, true);
    });
    return sb.toString();
  }

  private static String workloads(PluginRegistry r) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, org.memvirt.api.workload.WorkloadFactory> e : r.workloads().entrySet()) {
      sb.append(line(6, "- workload:", e.getKey() + ": " + e.getValue().description(), false));
      sb.append(line(10, "type: " + e.getKey(), null, false));
      keys(sb, 10, e.getValue().settings(), true);
    }
    return sb.toString();
  }

  /** Keys at {@code indent}, a nested section's ({@code sample.period}) under its name. */
  private static void keys(StringBuilder sb, int indent, List<SettingInfo> keys, boolean live) {
    String section = null;
    for (SettingInfo s : keys) {
      int dot = s.key().indexOf('.');
      String head = dot < 0 ? null : s.key().substring(0, dot);
      String key = dot < 0 ? s.key() : s.key().substring(dot + 1);
      boolean on = live && s.live();
      if (head != null && !head.equals(section)) {
        sb.append(line(indent, head + ":", null, !live));
      }
      section = head;
      sb.append(line(head == null ? indent : indent + 2, key + ": " + s.value(), s.meaning(), !on));
    }
  }

  private static String line(int indent, String text, String comment, boolean commented) {
    StringBuilder sb = new StringBuilder(" ".repeat(indent)).append(commented ? "# " : "").append(text);
    if (comment != null && !comment.isEmpty()) {
      sb.append(" ".repeat(Math.max(1, COMMENT_COLUMN - sb.length()))).append("# ").append(comment);
    }
    return sb.append('\n').toString();
  }
}
