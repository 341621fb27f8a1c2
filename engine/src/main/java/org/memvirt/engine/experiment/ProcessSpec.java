package org.memvirt.engine.experiment;

import org.memvirt.engine.config.ConfigSettings;
import org.memvirt.engine.config.Units;

/**
 * One guest process: its workload section and the engine's keys in it. With a
 * {@code lifetime}, the process exits after that many accesses and a fresh one (a new
 * address space, a new seed) takes its place, until {@code accesses} in all.
 */
public record ProcessSpec(String workloadType, double accessesPerSecond, double switchesPerSecond,
    long accessLimit, long lifetime, boolean largePages, ConfigSettings workload, int copies) {
  /** Accesses one process may issue in a run (rate × duration): past 2^48, a double clock stops advancing by them. */
  public static final double MAX_ACCESSES_PER_PROCESS = 0x1p48;

  /** The process of section {@code p}, in a run of {@code durationNanos}. */
  static ProcessSpec read(ConfigSettings p, long durationNanos) {
    long copies = p.count("copies", 1);
    if (copies < 1 || copies > 10_000) {
      throw p.invalid("copies", "a number of copies from 1 to 10000");
    }
    if (!p.has("workload")) {
      throw p.invalid("workload", "a workload section, e.g. {type: zipf, footprint: 512MiB}");
    }
    ConfigSettings w = p.section("workload");
    if (!w.has("type")) {
      throw w.invalid("type", "a workload type, e.g. zipf, uniform, sequential, phases or idle");
    }
    String type = w.string("type", null);
    double rate = w.rate("rate", 1e6);
    if (rate * (durationNanos / 1e9) > MAX_ACCESSES_PER_PROCESS) {
      throw w.invalid("rate", "at most 2^48 accesses per process in a run (rate x duration): at most "
          + Units.formatRate(Math.floor(MAX_ACCESSES_PER_PROCESS / (durationNanos / 1e9))) + " for "
          + Units.formatDuration(durationNanos));
    }
    // Guests switch context 100 to 1000 times a second (reference notes); 100/s by default.
    double switches = w.rate("switch_rate", 100);
    long limit = w.count("accesses", Long.MAX_VALUE);
    if (limit <= 0) {
      throw w.invalid("accesses", "a positive number of accesses");
    }
    long lifetime = w.count("lifetime", Long.MAX_VALUE);
    if (lifetime <= 0) {
      throw w.invalid("lifetime", "a positive number of accesses per process");
    }
    boolean large = w.flag("large_pages", false);
    return new ProcessSpec(type, rate, switches, limit, lifetime, large, w, (int) copies);
  }
}
