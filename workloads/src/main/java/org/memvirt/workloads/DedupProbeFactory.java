package org.memvirt.workloads;

import org.memvirt.api.SettingInfo;
import java.util.List;
import org.memvirt.api.MetricInfo;
import org.memvirt.api.Settings;
import org.memvirt.api.workload.Workload;
import org.memvirt.api.workload.WorkloadContext;
import org.memvirt.api.workload.WorkloadFactory;

/**
 * {@code dedup-probe}: the attacker of the memory-deduplication timing side channel
 * (cross-VM Flush+Reload-class attacks on page sharing, Dedup Est Machina). Its victim is
 * any VM holding the image, e.g. an {@code image} workload.
 *
 * <pre>
 * image: base         the image it guesses pages of (as an {@code image} workload names it)
 * footprint: 1MiB     the part of the image it guesses in, from base
 * zero: 0             the image's fraction of zero pages, as the victim's image has it (never guessed)
 * base: 0x10000000    where the victim has the image
 * guesses: 100        contents guessed, about half pages of the image (present), half not
 * calibration: 16     pairs of its own identical pages (shared: slow writes) and as many unique ones
 * wait: 60s           how long it waits for the scanner between writing and probing
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
    return "page-sharing side channel attacker: guesses another VM's pages and times its writes to them";
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
  public java.util.List<SettingInfo> settings() {
    return java.util.List.of(
        new SettingInfo("image", "base", "the image it guesses pages of"),
        new SettingInfo("footprint", "1MiB", "the part of the image it guesses in"),
        new SettingInfo("zero", "0", "the image's fraction of zero pages (never guessed)"),
        new SettingInfo("base", "0x10000000", "where the victim has the image"),
        new SettingInfo("guesses", "100", "contents guessed, about half pages of the image"),
        new SettingInfo("calibration", "16", "pairs of its own identical pages, and as many unique ones"),
        new SettingInfo("wait", "60s", "how long it waits for the scanner before probing"));
  }

  @Override
  public Workload create(WorkloadContext context) {
    Settings s = context.settings();
    String image = s.string("image", "base");
    long footprint = s.pageBytes("footprint", 1L << 20);
    if (footprint < 4096 || footprint > (4L << 30)) {
      throw s.invalid("footprint", "a size from 4KiB to 4GiB");
    }
    double zero = s.fraction("zero", 0);
    long pages = footprint / 4096;
    long base = s.address("base", PatternWorkloadFactory.DATA_BASE);
    if (base % 4096 != 0 || base < PatternWorkloadFactory.CODE_BASE) {
      throw s.invalid("base", "a page-aligned address at or above 0x400000, e.g. 0x10000000");
    }
    long guesses = s.count("guesses", 100);
    if (guesses < 2 || guesses > Math.min(pages * 2, Integer.MAX_VALUE)) {
      throw s.invalid("guesses", "from 2 to twice the pages of footprint (about half the guesses are pages of the image)");
    }
    long calibration = s.count("calibration", 16);
    if (calibration < 1 || calibration > 4096) {
      throw s.invalid("calibration", "from 1 to 4096 pairs of pages");
    }
    long wait = s.duration("wait", 60_000_000_000L);
    if (wait <= 0) {
      throw s.invalid("wait", "a positive duration, e.g. 60s");
    }
    return new DedupAttacker(image, zero, (int) pages, base, (int) guesses, (int) calibration, wait, context.seed(),
        context.clock(), context.metrics());
  }
}
