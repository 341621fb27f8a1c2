package org.memvirt.engine.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.memvirt.engine.config.ConfigNode;
import org.memvirt.engine.config.ConfigSettings;

/**
 * An experiment whose settings may be lists: every list of plain values is an axis
 * ({@code mmu.type: [ept, shadow]}), and the sweep runs the cross product of the axes, the
 * first axis varying slowest. Each point gets its own seed, derived from the experiment's
 * seed and the point's settings (so adding values to an axis leaves the other points'
 * seeds alone); with {@code sweep.seeds: shared} every point keeps the experiment's seed
 * (common random numbers); a swept {@code seed} gives replications.
 */
public final class Sweep {
  /** One swept setting: its path ({@code vms[0].memory}) and its values, as written. */
  public record Axis(String path, List<String> values) {}

  /** One point of the sweep: its values of the axes, in axis order, and its experiment. */
  public record Point(int index, Map<String, String> settings, Experiment experiment) {
    /** {@code mmu.type=ept, mmu.tlb.l2.entries=512}; empty for a single run. */
    public String label() {
      return Sweep.label(settings);
    }
  }

  private final ConfigNode tree;
  private final String name;
  private final List<Axis> axes = new ArrayList<>();
  /** Where each axis's list sits: a map and its key. */
  private record Slot(ConfigNode map, String key) {
    ConfigNode get() {
      return map.entries().get(key);
    }

    void set(ConfigNode value) {
      map.entries().put(key, value);
    }
  }

  private final List<Slot> slots = new ArrayList<>();

  public Sweep(ConfigNode tree, String name) {
    this.tree = tree;
    this.name = name;
    findAxes(tree, "");
  }

  /** The swept settings, in the order they appear in the experiment; empty for a single run. */
  public List<Axis> axes() {
    return axes;
  }

  /** Whether anything is swept. */
  public boolean isSweep() {
    return !axes.isEmpty();
  }

  /** The experiment as written, lists included. */
  public ConfigNode tree() {
    return tree;
  }

  /**
   * What the sweep is, in one line: the experiment, its seed and how the points' seeds come
   * from it, and each swept setting with its values.
   */
  public String describe() {
    ConfigSettings base = new ConfigSettings(tree.copy(), "");
    String experiment = points().isEmpty() ? name : points().get(0).experiment().name;
    Axis seeds = axes.stream().filter(a -> a.path().equals("seed")).findFirst().orElse(null);
    String seed = seeds != null ? "replicated over seeds " + String.join(", ", seeds.values())
        : sharedSeeds(base) ? "seed " + base.count("seed", 1) + " in every point (sweep.seeds: shared)"
        : "seed " + base.count("seed", 1) + " (each point's own seed derived from it)";
    List<String> swept = new ArrayList<>();
    axes.forEach(a -> swept.add(a.path() + " = " + String.join(", ", a.values())));
    return "experiment " + experiment + ", " + seed + "; swept: " + String.join("; ", swept);
  }

  /** How many points the cross product has. */
  public int size() {
    int n = 1;
    for (Axis a : axes) {
      n = Math.multiplyExact(n, a.values().size());
    }
    return n;
  }

  /** Every point, each with its own experiment (checked as it is built). */
  public List<Point> points() {
    List<Point> out = new ArrayList<>();
    ConfigSettings base = new ConfigSettings(tree.copy(), "");
    boolean seedSwept = axes.stream().anyMatch(a -> a.path().equals("seed"));
    long seed = seedSwept ? 0 : base.count("seed", 1);
    boolean deriveSeeds = isSweep() && !seedSwept && !sharedSeeds(base);
    for (int index = 0, n = size(); index < n; index++) {
      int[] chosen = new int[axes.size()];
      for (int a = axes.size() - 1, rest = index; a >= 0; a--) {
        chosen[a] = rest % axes.get(a).values().size();
        rest /= axes.get(a).values().size();
      }
      Map<String, String> settings = new LinkedHashMap<>();
      for (int a = 0; a < axes.size(); a++) {
        settings.put(axes.get(a).path(), axes.get(a).values().get(chosen[a]));
      }
      ConfigNode point = pointTree(chosen);
      if (deriveSeeds) {
        long derived = Seeds.mix(seed, Seeds.of(label(settings))) & Long.MAX_VALUE;
        point.put("seed", ConfigNode.scalar("(sweep)", 0, Long.toString(derived)), 0);
      }
      out.add(new Point(index, settings, new Experiment(point, name)));
    }
    return out;
  }

  /**
   * Whether every point keeps the experiment's seed ({@code sweep.seeds: shared}) rather
   * than one derived from its settings ({@code derived}, the default).
   */
  static boolean sharedSeeds(ConfigSettings root) {
    return root.section("sweep").choice("seeds", "derived", "derived", "shared").equals("shared");
  }

  /** {@code mmu.type=ept, mmu.tlb.l2.entries=512}. */
  static String label(Map<String, String> settings) {
    StringBuilder sb = new StringBuilder();
    settings.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=').append(v));
    return sb.toString();
  }

  /** A copy of the tree with value {@code chosen[a]} in place of each axis's list. */
  private ConfigNode pointTree(int[] chosen) {
    List<ConfigNode> lists = new ArrayList<>();
    for (int a = 0; a < slots.size(); a++) {
      ConfigNode list = slots.get(a).get();
      lists.add(list);
      slots.get(a).set(list.elements().get(chosen[a]));
    }
    ConfigNode copy = tree.copy();
    for (int a = 0; a < slots.size(); a++) {
      slots.get(a).set(lists.get(a));
    }
    return copy;
  }

  private void findAxes(ConfigNode node, String path) {
    if (node.kind() == ConfigNode.Kind.MAP) {
      for (Map.Entry<String, ConfigNode> e : node.entries().entrySet()) {
        String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        if (isAxis(e.getValue())) {
          addAxis(p, e.getValue(), new Slot(node, e.getKey()));
        } else {
          findAxes(e.getValue(), p);
        }
      }
    } else if (node.kind() == ConfigNode.Kind.LIST) {
      for (int i = 0; i < node.elements().size(); i++) {
        findAxes(node.elements().get(i), path + "[" + i + "]");
      }
    }
  }

  private void addAxis(String path, ConfigNode list, Slot slot) {
    List<String> values = new ArrayList<>();
    for (ConfigNode v : list.elements()) {
      if (values.contains(v.scalar())) {
        throw new org.memvirt.engine.config.ExperimentException(v.where() + ": " + path
            + ": a swept setting lists '" + v.scalar() + "' twice");
      }
      values.add(v.scalar());
    }
    axes.add(new Axis(path, values));
    slots.add(slot);
  }

  /** A non-empty list of plain values. */
  private static boolean isAxis(ConfigNode n) {
    if (n.kind() != ConfigNode.Kind.LIST || n.elements().isEmpty()) {
      return false;
    }
    for (ConfigNode e : n.elements()) {
      if (e.kind() != ConfigNode.Kind.SCALAR || e.scalar() == null) {
        return false;
      }
    }
    return true;
  }
}
