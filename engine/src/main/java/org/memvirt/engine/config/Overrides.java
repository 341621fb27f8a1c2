package org.memvirt.engine.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies {@code --set path.to.key=value} to an experiment tree. Paths use dots for map
 * keys and {@code [i]} for list elements: {@code vms[1].memory=1GiB},
 * {@code mmu.tlb.l2.entries=512}. The value is read as YAML, so lists and maps work too.
 */
public final class Overrides {
  private static final Pattern STEP = Pattern.compile("([A-Za-z_][A-Za-z0-9_-]*)((?:\\[[0-9]+\\])*)");
  private static final Pattern INDEX = Pattern.compile("\\[([0-9]+)\\]");

  private Overrides() {}

  public static void apply(ConfigNode root, List<String> assignments) {
    for (String a : assignments) {
      apply(root, a);
    }
  }

  public static void apply(ConfigNode root, String assignment) {
    int eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw new ExperimentException("--set " + assignment + ": expected path.to.key=value");
    }
    String path = assignment.substring(0, eq).trim();
    String origin = "--set " + path;
    ConfigNode value = YamlTree.parse(assignment.substring(eq + 1), origin);
    if (value.kind() == ConfigNode.Kind.MAP && value.entries().isEmpty()
        && assignment.substring(eq + 1).isBlank()) {
      value = ConfigNode.scalar(origin, 0, null);
    }
    List<Object> steps = steps(path, origin);
    ConfigNode current = root;
    for (int i = 0; i < steps.size() - 1; i++) {
      current = child(current, steps.get(i), steps.get(i + 1) instanceof Integer, origin, path);
    }
    Object last = steps.get(steps.size() - 1);
    if (last instanceof String key) {
      if (current.kind() != ConfigNode.Kind.MAP) {
        throw new ExperimentException(origin + ": '" + key + "' is not inside a map");
      }
      current.put(key, value, 0);
    } else {
      int idx = (Integer) last;
      checkIndex(current, idx, origin, path);
      current.elements().set(idx, value);
    }
  }

  private static List<Object> steps(String path, String origin) {
    List<Object> steps = new ArrayList<>();
    for (String part : path.split("\\.", -1)) {
      Matcher m = STEP.matcher(part);
      if (!m.matches()) {
        throw new ExperimentException(origin + ": expected a path like vms[0].memory or mmu.tlb.l2.entries");
      }
      steps.add(m.group(1));
      Matcher idx = INDEX.matcher(m.group(2));
      while (idx.find()) {
        // An index past any list (more digits than an int holds) is out of range like any other.
        String digits = idx.group(1);
        if (digits.length() > 9) {
          throw new ExperimentException(origin + ": index " + digits + " is out of range (lists here hold at most "
              + "a few thousand elements)");
        }
        steps.add(Integer.parseInt(digits));
      }
    }
    return steps;
  }

  private static ConfigNode child(ConfigNode current, Object step, boolean nextIsIndex, String origin,
      String path) {
    if (step instanceof String key) {
      if (current.kind() != ConfigNode.Kind.MAP) {
        throw new ExperimentException(origin + ": '" + key + "' is not inside a map");
      }
      ConfigNode next = current.entries().get(key);
      if (next == null || (next.kind() == ConfigNode.Kind.SCALAR && next.scalar() == null)) {
        if (nextIsIndex) {
          throw new ExperimentException(origin + ": the experiment has no list '" + key + "'");
        }
        next = ConfigNode.map(origin, 0);
        current.put(key, next, 0);
      }
      return next;
    }
    int idx = (Integer) step;
    checkIndex(current, idx, origin, path);
    return current.elements().get(idx);
  }

  private static void checkIndex(ConfigNode list, int idx, String origin, String path) {
    if (list.kind() != ConfigNode.Kind.LIST) {
      throw new ExperimentException(origin + ": [" + idx + "] used on something that is not a list");
    }
    if (idx >= list.elements().size()) {
      throw new ExperimentException(origin + ": index " + idx + " is out of range (the list has "
          + list.elements().size() + " elements)");
    }
  }
}
