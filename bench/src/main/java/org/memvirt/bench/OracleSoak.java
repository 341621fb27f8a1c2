package org.memvirt.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.memvirt.api.BadInputException;
import org.memvirt.api.InvariantViolation;
import org.memvirt.engine.experiment.Experiment;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.report.RunResult;
import org.memvirt.engine.run.Experiments;

/**
 * The oracle soak: experiments drawn at random from a seed, mixing every bundled module (both
 * MMUs and their options, host swapping, ballooning and sharing in any subset and order, every
 * allocation policy, every synthetic workload, limits, reservations, vCPUs, guest swap), each
 * checked by the content oracle and the frame-table invariant ({@code verify: true}). Each
 * ends one way: refused before the run (and why), run to its end, stopped at run time (and
 * why), or an invariant broken or an internal error, which the soak reports as failures.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar org.memvirt.bench.OracleSoak [RUNS] [SEED]}
 * prints a line per run and a summary; the same seed draws the same experiments.
 */
public final class OracleSoak {
  /** How one experiment ended. */
  public enum Outcome { REFUSED, COMPLETED, STOPPED, INVARIANT, INTERNAL }

  /** One run: its experiment, how it ended, and why (the one line), with the oracle's checks. */
  public record Run(int index, String yaml, Outcome outcome, String why, long oracleChecks) {}

  private static final String[] WORKLOADS = {"uniform", "zipf", "phases", "sequential", "idle", "image"};

  private OracleSoak() {}

  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 264;
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
    PluginRegistry registry = PluginRegistry.discover();
    List<Run> all = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < runs; i++) {
      Run r = run(i, experiment(seed, i), registry);
      all.add(r);
      System.out.printf(Locale.ROOT, "%4d %-9s %s%n", i, r.outcome(), r.why() == null ? "" : r.why());
    }
    System.out.println(summary(all, (System.nanoTime() - t0) / 1e9));
  }

  /** Runs one experiment with the checks on, and says how it ended. */
  public static Run run(int index, String yaml, PluginRegistry registry) {
    Experiment e;
    try {
      e = Experiments.parse(yaml, "soak-" + index + ".yaml");
      Experiments.validate(e, registry);
    } catch (BadInputException refused) {
      return new Run(index, yaml, Outcome.REFUSED, refused.getMessage(), 0);
    }
    try {
      RunResult r = Experiments.run(e, registry);
      long checks = r.host().get("oracle_checks").longValue();
      return r.failure() == null ? new Run(index, yaml, Outcome.COMPLETED, null, checks)
          : new Run(index, yaml, Outcome.STOPPED, r.failure(), checks);
    } catch (InvariantViolation broken) {
      return new Run(index, yaml, Outcome.INVARIANT, broken.getMessage(), 0);
    } catch (BadInputException stopped) {
      return new Run(index, yaml, Outcome.STOPPED, stopped.getMessage(), 0);
    } catch (RuntimeException internal) {
      return new Run(index, yaml, Outcome.INTERNAL, internal.toString(), 0);
    }
  }

  /** The outcomes counted, and the reasons of refusals and stops grouped by what they are about. */
  public static String summary(List<Run> runs, double seconds) {
    Map<Outcome, Integer> counts = new TreeMap<>();
    Map<String, Integer> reasons = new TreeMap<>();
    long checks = 0;
    for (Run r : runs) {
      counts.merge(r.outcome(), 1, Integer::sum);
      checks += r.oracleChecks();
      if (r.why() != null) {
        reasons.merge(r.outcome() + ": " + kind(r.why()), 1, Integer::sum);
      }
    }
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%d runs in %.1f s: %s; %,d reads checked by the "
        + "content oracle%n", runs.size(), seconds, counts, checks));
    reasons.forEach((k, n) -> sb.append(String.format(Locale.ROOT, "  %3d %s%n", n, k)));
    return sb.toString();
  }

  /** What a one-line reason is about: the key it names, or its first words. */
  static String kind(String why) {
    java.util.regex.Matcher key = java.util.regex.Pattern.compile("^[^ ]*:[0-9]+: ([a-z_.\\[\\]0-9]+): ").matcher(why);
    if (key.find()) {
      return key.group(1).replaceAll("\\[[0-9]+\\]", "[i]");
    }
    return why.replaceAll("^vm [^ ]+", "vm X").replaceAll(" at [0-9.]+ s", "").replaceAll(" \\([0-9]+ pages\\)", "")
        .replaceAll("[;:].*", "");
  }

  /** Experiment {@code index} of the soak drawn from {@code seed}. */
  public static String experiment(long seed, int index) {
    SplittableRandom r = new SplittableRandom(seed * 1_000_003L + index);
    int hostMiB = 32 + 16 * r.nextInt(7);
    StringBuilder y = new StringBuilder();
    y.append("seed: ").append(1 + r.nextInt(1000)).append('\n');
    y.append("duration: ").append(1 + r.nextInt(2)).append("s\n");
    y.append("verify: true\n");
    y.append("metrics: {period: 200ms}\n");
    y.append("host: {memory: ").append(hostMiB).append("MiB").append(r.nextInt(4) == 0 ? ", large_pages: 8MiB" : "")
        .append("}\n");
    boolean shadow = r.nextBoolean();
    y.append("mmu: {type: ").append(shadow ? "shadow" : "ept");
    if (shadow) {
      y.append(", unsync: ").append(r.nextBoolean()).append(", root_cache: ").append(new int[] {0, 1, 4}[r.nextInt(3)]);
    }
    int caches = r.nextBoolean() ? 32 : 0;
    y.append(", tlb: {tagged: ").append(r.nextBoolean()).append("}, walk_cache: {entries: ").append(caches)
        .append(", nested_entries: ").append(caches).append(", nested_tlb: ").append(caches).append("}}\n");
    List<String> techniques = new ArrayList<>(List.of("swap", "balloon", "sharing"));
    StringBuilder reclaim = new StringBuilder();
    for (int i = techniques.size() - 1; i > 0; i--) {
      java.util.Collections.swap(techniques, i, r.nextInt(i + 1));
    }
    List<String> chosen = techniques.subList(0, r.nextInt(4));
    for (String t : chosen) {
      reclaim.append("  ").append(t).append(": ").append(switch (t) {
        case "swap" -> "{device: " + (r.nextBoolean() ? "ssd" : "disk") + ", victims: "
            + (r.nextBoolean() ? "random" : "clock") + ", compression: " + r.nextBoolean() + ", mapper: "
            + r.nextBoolean() + ", shared: " + r.nextBoolean() + "}";
        case "balloon" -> r.nextBoolean() ? "{driver: vmware, period: 200ms}"
            : "{driver: virtio, deflate_on_oom: " + r.nextBoolean() + ", free_page_reporting: " + r.nextBoolean() + "}";
        default -> r.nextBoolean() ? "{scanner: ksm, pages_to_scan: " + (100 + r.nextInt(900)) + ", use_zero_pages: "
            + r.nextBoolean() + "}" : "{scan_vm: 2000/s, scan_total: 4000/s, salt: " + (r.nextBoolean() ? "vm" : "none")
            + "}";
      }).append('\n');
    }
    if (reclaim.length() > 0) {
      y.append("reclaim:\n").append(reclaim);
    }
    switch (r.nextInt(4)) {
      case 0 -> y.append("policy: {type: shares, tax: ").append(r.nextBoolean() ? "0.75" : "0").append(", period: 1s")
          .append(", sample: {period: 500ms}}\n");
      case 1 -> y.append("policy: {type: working-set, period: 1s, sample: {period: 500ms}}\n");
      case 2 -> y.append("policy: {type: static}\n");
      default -> { }
    }
    y.append("vms:\n");
    int sections = 1 + r.nextInt(3);
    for (int v = 0; v < sections; v++) {
      int memMiB = 8 + 4 * r.nextInt(Math.max(1, Math.min(hostMiB, 48) / 4 - 1));
      y.append("  - name: vm").append(v).append('\n');
      y.append("    memory: ").append(memMiB).append("MiB\n");
      if (r.nextInt(3) == 0) {
        y.append("    copies: 2\n");
      }
      if (r.nextInt(3) == 0) {
        y.append("    min: ").append(memMiB / 4).append("MiB\n");
      }
      // A limit only where some technique might hold it (none: refused, a case the tests cover).
      if (!chosen.isEmpty() && r.nextInt(3) == 0) {
        y.append("    max: ").append(memMiB / 2 + memMiB / 4).append("MiB\n");
      }
      if (chosen.contains("balloon") && r.nextInt(4) == 0) {
        y.append("    balloon: false\n");
      }
      y.append("    vcpus: ").append(1 + r.nextInt(2)).append('\n');
      int swapMiB = r.nextInt(4) == 0 ? 0 : memMiB;
      y.append("    guest: {replacement: ").append(new String[] {"clock", "fifo", "lru"}[r.nextInt(3)])
          .append(", swap: ").append(swapMiB).append("MiB}\n");
      y.append("    processes:\n");
      int processes = 1 + r.nextInt(2);
      for (int p = 0; p < processes; p++) {
        String type = WORKLOADS[r.nextInt(WORKLOADS.length)];
        int footprintMiB = 1 + r.nextInt(Math.max(1, memMiB + swapMiB - 4));
        y.append("      - workload: {type: ").append(type).append(", footprint: ").append(footprintMiB).append("MiB");
        if (type.equals("image")) {
          y.append(", image: base, zero: 0.").append(r.nextInt(5));
        } else {
          y.append(", writes: 0.").append(1 + r.nextInt(8)).append(", rate: ").append(50 + 50 * r.nextInt(4))
              .append("K/s, content: {shared: 0.").append(r.nextInt(6)).append(", zero: 0.").append(r.nextInt(4))
              .append('}');
          if (type.equals("idle")) {
            y.append(", active: 64KiB");
          }
          if (r.nextInt(4) == 0) {
            y.append(", lifetime: ").append(5 + r.nextInt(20)).append('K');
          }
        }
        y.append(", base: 0x").append(Long.toHexString(0x10000000L + 0x4000000L * p)).append("}\n");
      }
    }
    return y.toString();
  }
}
