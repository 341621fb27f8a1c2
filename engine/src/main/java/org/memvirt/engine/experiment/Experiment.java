package org.memvirt.engine.experiment;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.memvirt.engine.config.ConfigNode;
import org.memvirt.engine.config.ConfigSettings;
import org.memvirt.engine.config.Units;
import org.memvirt.engine.host.FreeMemoryThresholds;

/**
 * An experiment, as the engine reads it: its own keys typed and checked, and the sections
 * that belong to plugins (the MMU's, each workload's, each reclaimer's, the policy's) kept
 * as {@link ConfigSettings} for them to read. Every key and default is listed in the
 * README and in {@code reference.yaml}.
 */
public final class Experiment {
  public final ConfigNode tree;
  public final String name;
  public final long seed;
  public final long durationNanos;
  public final long hostMemoryBytes;
  public final long hostLargePagesBytes;
  public final FreeMemoryThresholds thresholds;
  public final long reclaimPeriodNanos;
  public final double cpuGhz;
  public final long measureAfterNanos;
  public final String mmuType;
  public final int guestLevels;
  public final TlbSpec l1i;
  public final TlbSpec l1d;
  public final TlbSpec l2;
  public final boolean tlbTagged;
  public final WalkCacheSpec walkCaches;
  public final ConfigSettings mmuSettings;
  public final ConfigSettings costs;
  public final long metricsPeriodNanos;
  public final boolean verify;
  public final List<TechniqueSpec> reclaimers;
  public final TechniqueSpec policy;
  public final List<VmSpec> vms;
  /** Reservations of the VMs read so far (admission control). */
  private long reservedBytes;

  /** Reads and checks the engine's keys of {@code tree} (which it keeps and marks as read). */
  public Experiment(ConfigNode tree, String defaultName) {
    this.tree = tree;
    ConfigSettings root = new ConfigSettings(tree, "");
    name = root.string("name", defaultName);
    seed = root.count("seed", 1);
    durationNanos = root.duration("duration", 10_000_000_000L);
    verify = root.flag("verify", false);
    // Sweep's key: read here too, so it is checked and known in every point.
    Sweep.sharedSeeds(root);

    ConfigSettings host = root.section("host");
    hostMemoryBytes = host.positivePageBytes("memory", 8L << 30);
    if (hostMemoryBytes > MAX_PAGES * 4096) {
      // The frame table indexes frames with an int.
      throw host.invalid("memory", "at most " + Units.formatBytes(MAX_PAGES * 4096 & -(1L << 30)) + " (2^31 - 1 frames of 4 KiB)");
    }
    // Host memory reserved for 2 MiB backing (as QEMU's -mem-path on hugetlbfs).
    hostLargePagesBytes = host.bytes("large_pages", 0);
    if (hostLargePagesBytes < 0 || hostLargePagesBytes % (2L << 20) != 0 || hostLargePagesBytes > hostMemoryBytes) {
      throw host.invalid("large_pages", "a multiple of 2MiB, at most host.memory");
    }
    ConfigSettings th = host.section("thresholds");
    FreeMemoryThresholds d = FreeMemoryThresholds.ESX;
    thresholds = new FreeMemoryThresholds(th.fraction("high", d.high()), th.fraction("soft", d.soft()),
        th.fraction("hard", d.hard()), th.fraction("low", d.low()));
    if (!(thresholds.high() >= thresholds.soft() && thresholds.soft() >= thresholds.hard()
        && thresholds.hard() >= thresholds.low())) {
      throw th.invalid("high", "thresholds with high >= soft >= hard >= low");
    }
    // ESX's balloon driver polls its target about once a second (Waldspurger OSDI'02).
    reclaimPeriodNanos = host.duration("reclaim_period", 1_000_000_000L);
    // The clock rate that turns cycle costs into stall time; the cost defaults assume 2.5 GHz.
    cpuGhz = host.number("cpu_ghz", 2.5);
    if (!(cpuGhz > 0 && cpuGhz <= 100)) {
      throw host.invalid("cpu_ghz", "a clock rate in GHz, above 0 and at most 100");
    }

    mmuSettings = root.section("mmu");
    mmuType = mmuSettings.string("type", "ept");
    long levels = mmuSettings.count("levels", 4);
    if (levels != 4 && levels != 5) {
      // Checked as read: narrowed first, 4294967300 would have passed as 4.
      throw mmuSettings.invalid("levels", "4 or 5 (x86-64 paging, 5 with LA57)");
    }
    guestLevels = (int) levels;
    ConfigSettings tlb = mmuSettings.section("tlb");
    l1i = TlbSpec.read(tlb, "l1i", 64, 4);
    l1d = TlbSpec.read(tlb, "l1d", 64, 4);
    l2 = TlbSpec.read(tlb, "l2", 1536, 12);
    // PCID/VPID: off by default, so a context switch flushes as on a CPU without them.
    tlbTagged = tlb.flag("tagged", false);
    ConfigSettings wc = mmuSettings.section("walk_cache");
    walkCaches = WalkCacheSpec.read(wc);

    costs = root.section("costs");
    metricsPeriodNanos = root.section("metrics").duration("period", 1_000_000_000L);
    if (durationNanos / metricsPeriodNanos > MAX_SAMPLES) {
      throw root.section("metrics").invalid("period", "at least duration / " + MAX_SAMPLES + " ("
          + Units.formatDuration(Math.max(1, durationNanos / MAX_SAMPLES)) + "): at most " + MAX_SAMPLES
          + " samples a run, each a row per VM in memory");
    }
    ConfigSettings measure = root.section("measure");
    // Absent or 0s: no warm-up.
    measureAfterNanos = measure.has("after") ? measure.durationOrZero("after", 0) : 0;
    if (measureAfterNanos >= durationNanos) {
      throw measure.invalid("after", "a warm-up shorter than the duration (" + Units.formatDuration(durationNanos) + ")");
    }

    ConfigSettings reclaim = root.section("reclaim");
    reclaimers = new ArrayList<>();
    for (String key : reclaim.presentKeys()) {
      reclaimers.add(new TechniqueSpec(key, reclaim.section(key)));
    }
    ConfigSettings pol = root.section("policy");
    policy = pol.has("type") ? new TechniqueSpec(pol.string("type", null), pol) : null;

    vms = new ArrayList<>();
    List<ConfigSettings> vmSections = root.sectionList("vms");
    if (vmSections.isEmpty()) {
      throw root.invalid("vms", "a list of at least one VM");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < vmSections.size(); i++) {
      ConfigSettings section = vmSections.get(i);
      // Identical VMs written once: name-1 .. name-N, each with seeds of its own.
      long copies = section.count("copies", 1);
      if (copies < 1 || copies > 10_000) {
        throw section.invalid("copies", "a number of identical VMs from 1 to 10000");
      }
      for (int c = 0; c < copies; c++) {
        addVm(section, c, copies, names);
      }
    }
  }

  private void addVm(ConfigSettings section, int copy, long copies, Set<String> names) {
    VmSpec vm = VmSpec.read(section, vms.size(), copies == 1 ? null : "-" + (copy + 1), hostMemoryBytes, guestLevels,
        durationNanos);
    if (!names.add(vm.name())) {
      throw section.invalid("name", "a name no other VM has");
    }
    reservedBytes += vm.minBytes();
    if (reservedBytes > hostMemoryBytes) {
      // Admission control (ESX): the reservations must fit in host memory together.
      throw section.invalid("min", "reservations that fit together in host.memory "
          + Units.formatBytes(hostMemoryBytes) + " (the VMs so far reserve " + Units.formatBytes(reservedBytes) + ")");
    }
    if (vm.maxBytes() < vm.memoryBytes() && reclaimers.isEmpty()) {
      throw section.invalid("max", "no limit below the VM's memory ("
          + Units.formatBytes(vm.memoryBytes()) + ") unless a reclamation technique (reclaim:) can keep the VM there");
    }
    vms.add(vm);
  }


  /** Frames a host, and pages a VM, may have: the frame table and the guest's allocator index them with an int. */
  public static final long MAX_PAGES = Integer.MAX_VALUE;
  /** Samples of the time series in a run (duration / metrics.period). */
  public static final long MAX_SAMPLES = 100_000;




  /** The experiment as plain maps and lists, with every default its readers used filled in. */
  public Object resolved() {
    return tree.resolved();
  }

  /** Fails on any key no reader asked for: call once every plugin has read its section. */
  public void checkNoUnknownKeys() {
    ConfigSettings.checkNoUnknownKeys(tree, "");
  }
}
