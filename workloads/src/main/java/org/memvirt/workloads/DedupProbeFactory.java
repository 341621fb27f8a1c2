package org.memvirt.workloads;

import java.util.List;
import org.memvirt.api.MetricInfo;
import org.memvirt.api.Settings;
import org.memvirt.api.workload.Workload;
import org.memvirt.api.workload.WorkloadContext;
import org.memvirt.api.workload.WorkloadFactory;

/**
 * {@code dedup-probe}: the memory-deduplication timing side channel (cross-VM
 * Flush+Reload-class attacks on page sharing, Dedup Est Machina), in two roles.
 *
 * <pre>
 * role: victim | attacker
 * image: secret       the content both roles know: page p of the image is the same everywhere
 * pages: 256          victim: image pages it writes once and keeps reading; attacker: the range it guesses in
 * base: 0x10000000    first address of the role's pages
 * guesses: 100        attacker: contents guessed, half from the image (present), half not
 * calibration: 16     attacker: pairs of its own identical pages (merged: slow writes) and as many unique ones
 * wait: 60s           attacker: how long it waits for the scanner between writing and probing
 * </pre>
 */
final class DedupProbeFactory implements WorkloadFactory {
  static final String NAME = "dedup-probe";
  static final String GUESSES = "probe_guesses";
  static final String CORRECT = "probe_correct";
  static final String SAID_PRESENT = "probe_said_present";
  static final String PRESENT = "probe_present";
  static final String THRESHOLD = "probe_threshold_ns";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "page-sharing side channel: a victim holding image pages, an attacker timing its writes to guesses";
  }

  @Override
  public List<MetricInfo> metrics() {
    return List.of(
        MetricInfo.counter(GUESSES, "guesses", "dedup-probe attacker: contents guessed and probed by timing a write."),
        MetricInfo.counter(CORRECT, "guesses", "dedup-probe attacker: guesses classified right (present: the write was slow, a copy-on-write)."),
        MetricInfo.counter(SAID_PRESENT, "guesses", "dedup-probe attacker: guesses it classified as held by another VM."),
        MetricInfo.counter(PRESENT, "guesses", "dedup-probe attacker: guesses that were in fact the victim's content."),
        MetricInfo.counter(THRESHOLD, "ns", "dedup-probe attacker: the write latency it calibrated as the line between shared and private."));
  }

  @Override
  public Workload create(WorkloadContext context) {
    Settings s = context.settings();
    String role = s.choice("role", "attacker", "attacker", "victim");
    String image = s.string("image", "secret");
    long pages = s.count("pages", 256);
    if (pages <= 0 || pages > (1 << 24)) {
      throw s.invalid("pages", "a number of pages from 1 to 16777216");
    }
    long base = s.address("base", PatternWorkloadFactory.DATA_BASE);
    if (base % 4096 != 0 || base < PatternWorkloadFactory.CODE_BASE) {
      throw s.invalid("base", "a page-aligned address at or above 0x400000, e.g. 0x10000000");
    }
    if (role.equals("victim")) {
      return new SecretHolder(image, base, (int) pages);
    }
    long guesses = s.count("guesses", 100);
    if (guesses < 2 || guesses > pages * 2) {
      throw s.invalid("guesses", "from 2 to twice pages (half the guesses come from the image's pages)");
    }
    long calibration = s.count("calibration", 16);
    if (calibration < 1 || calibration > 4096) {
      throw s.invalid("calibration", "from 1 to 4096 pairs of pages");
    }
    long wait = s.duration("wait", 60_000_000_000L);
    if (wait <= 0) {
      throw s.invalid("wait", "a positive duration, e.g. 60s");
    }
    return new DedupAttacker(image, (int) pages, base, (int) guesses, (int) calibration, wait, context.seed(),
        context.clock(), context.metrics());
  }
}
