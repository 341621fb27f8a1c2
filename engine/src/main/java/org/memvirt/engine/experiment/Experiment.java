package org.memvirt.engine.experiment;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.memvirt.engine.config.ConfigNode;
import org.memvirt.engine.config.ConfigSettings;
import org.memvirt.engine.config.Units;
import org.memvirt.engine.guest.PageReplacement;
import org.memvirt.engine.host.FreeMemoryThresholds;

/**
 * An experiment, as the engine reads it: its own keys typed and checked, and the sections
 * that belong to plugins (the MMU's, each workload's, each reclaimer's, the policy's) kept
 * as {@link ConfigSettings} for them to read. Every key and default is listed in the
 * README and in {@code reference.yaml}.
 */
public final class Experiment {
  /** Geometry of one TLB. */
  public record TlbSpec(int entries, int ways) {}

  /** Paging-structure caches per vCPU: entries per level of each (0: off). */
  public record WalkCacheSpec(int entries, int nestedEntries, int nestedTlb) {}

  /**
   * One guest process: its workload section and the engine's keys in it. With a
   * {@code lifetime}, the process exits after that many accesses and a fresh one (a new
   * address space, a new seed) takes its place, until {@code accesses} in all.
   */
  public record ProcessSpec(String workloadType, double accessesPerSecond, double switchesPerSecond,
      long accessLimit, long lifetime, boolean largePages, ConfigSettings workload, int copies) {}

  /** One virtual machine. */
  public record VmSpec(String name, long memoryBytes, long shares, long minBytes, long maxBytes, int vcpus,
      int levels, PageReplacement.Policy replacement, long swapBytes, long hugePagesBytes, long freeTargetBytes,
      List<ProcessSpec> processes, ConfigSettings settings) {}

  /** A named technique and its section. */
  public record TechniqueSpec(String name, ConfigSettings settings) {}

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
    l1i = tlb(tlb, "l1i", 64, 4);
    l1d = tlb(tlb, "l1d", 64, 4);
    l2 = tlb(tlb, "l2", 1536, 12);
    // PCID/VPID: off by default, so a context switch flushes as on a CPU without them.
    tlbTagged = tlb.flag("tagged", false);
    // A few dozen entries per level (reference notes; Bhargava et al. ASPLOS'08).
    ConfigSettings wc = mmuSettings.section("walk_cache");
    walkCaches = new WalkCacheSpec(cacheEntries(wc, "entries"), cacheEntries(wc, "nested_entries"),
        cacheEntries(wc, "nested_tlb"));

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
    VmSpec vm = vm(section, vms.size(), copies == 1 ? null : "-" + (copy + 1));
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

  private static int cacheEntries(ConfigSettings wc, String key) {
    long n = wc.count(key, 32);
    if (n < 0 || n > 4096) {
      throw wc.invalid(key, "a number of entries per level from 0 (off) to 4096");
    }
    return (int) n;
  }

  /** Frames a host, and pages a VM, may have: the frame table and the guest's allocator index them with an int. */
  public static final long MAX_PAGES = Integer.MAX_VALUE;
  /** Accesses one process may issue in a run (rate × duration): past 2^48, a double clock stops advancing by them. */
  public static final double MAX_ACCESSES_PER_PROCESS = 0x1p48;
  /** Samples of the time series in a run (duration / metrics.period). */
  public static final long MAX_SAMPLES = 100_000;
  /** Ways of a TLB: a lookup compares them all. */
  public static final int MAX_WAYS = 64;

  private static TlbSpec tlb(ConfigSettings tlb, String key, int entries, int ways) {
    ConfigSettings s = tlb.section(key);
    long e = s.count("entries", entries);
    long w = s.count("ways", ways);
    if (e <= 0 || e > 1 << 20) {
      throw s.invalid("entries", "a number of entries from 1 to 1M");
    }
    if (w <= 0 || e % w != 0 || w > MAX_WAYS) {
      throw s.invalid("ways", "a number of ways from 1 to " + MAX_WAYS + " that divides entries (" + e + ")");
    }
    return new TlbSpec((int) e, (int) w);
  }

  /** VM {@code index} from section {@code s}; a copy's name gets {@code suffix} (null: none). */
  private VmSpec vm(ConfigSettings s, int index, String suffix) {
    String vmName = s.string("name", "vm" + index) + (suffix == null ? "" : suffix);
    long memory = s.positivePageBytes("memory", 1L << 30);
    if (memory > hostMemoryBytes) {
      throw s.invalid("memory", "at most host.memory (" + Units.formatBytes(hostMemoryBytes) + ")");
    }
    long shares = shares(s, memory);
    long min = s.pageBytes("min", 0);
    long max = s.pageBytes("max", memory);
    if (min < 0 || min > memory) {
      throw s.invalid("min", "a reservation from 0 to the VM's memory (" + Units.formatBytes(memory) + ")");
    }
    if (max <= 0 || max > memory) {
      throw s.invalid("max", "a limit from 4KiB to the VM's memory (" + Units.formatBytes(memory) + ")");
    }
    if (min > max) {
      throw s.invalid("min", "a reservation no larger than max (" + Units.formatBytes(max) + ")");
    }
    long levels = s.count("levels", guestLevels);
    if (levels != 4 && levels != 5) {
      throw s.invalid("levels", "4 or 5 (x86-64 paging, 5 with LA57)");
    }
    long vcpus = s.count("vcpus", 1);
    if (vcpus < 1 || vcpus > 256) {
      throw s.invalid("vcpus", "a number of vCPUs from 1 to 256");
    }
    ConfigSettings guest = s.section("guest");
    PageReplacement.Policy replacement =
        PageReplacement.Policy.parse(guest.choice("replacement", "clock", "fifo", "lru", "clock"));
    long swap = guest.pageBytes("swap", memory);
    if (swap < 0) {
      throw guest.invalid("swap", "a size, 0 or more");
    }
    // 2 MiB pages the guest reserves at boot (as vm.nr_hugepages); never swapped.
    long huge = guest.bytes("huge_pages", 0);
    if (huge < 0 || huge % (2L << 20) != 0 || huge > memory / 2) {
      throw guest.invalid("huge_pages", "a multiple of 2MiB, at most half the VM's memory");
    }
    // Memory the guest keeps free by swapping ahead, as Linux's kswapd does between its
    // watermarks; 0: it swaps only when an allocation finds nothing free.
    long freeTarget = guest.pageBytes("free_target", 0);
    if (freeTarget < 0 || freeTarget > memory / 4) {
      throw guest.invalid("free_target", "a size from 0 to a quarter of the VM's memory");
    }
    List<ProcessSpec> processes = new ArrayList<>();
    for (ConfigSettings p : s.sectionList("processes")) {
      processes.add(process(p, durationNanos));
    }
    if (processes.isEmpty()) {
      throw s.invalid("processes", "a list of at least one process, each with a workload");
    }
    return new VmSpec(vmName, memory, shares, min, max, (int) vcpus, (int) levels, replacement, swap, huge, freeTarget,
        processes, s);
  }

  /**
   * Proportional shares as people write them: a number, or ESX's levels {@code low},
   * {@code normal} (the default) and {@code high}: 5, 10 and 20 per MiB of configured
   * memory. 0 pins the VM at its reservation under a shares policy.
   */
  private static long shares(ConfigSettings s, long memory) {
    String level = s.string("shares", "normal").trim().toLowerCase(java.util.Locale.ROOT);
    long mib = memory >> 20;
    switch (level) {
      case "low":
        return Math.max(1, 5 * mib);
      case "normal":
        return Math.max(1, 10 * mib);
      case "high":
        return Math.max(1, 20 * mib);
      default:
        if (!level.matches("[0-9][0-9_,kKmM]*")) {
          throw s.invalid("shares", "a number of shares, or low, normal or high (5, 10 or 20 per MiB of memory)");
        }
        long shares = s.count("shares", 0);
        if (shares < 0) {
          throw s.invalid("shares", "a number of shares, 0 or more, or low, normal or high");
        }
        return shares;
    }
  }

  private static ProcessSpec process(ConfigSettings p, long durationNanos) {
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

  /** The experiment as plain maps and lists, with every default its readers used filled in. */
  public Object resolved() {
    return tree.resolved();
  }

  /** Fails on any key no reader asked for: call once every plugin has read its section. */
  public void checkNoUnknownKeys() {
    ConfigSettings.checkNoUnknownKeys(tree, "");
  }
}
