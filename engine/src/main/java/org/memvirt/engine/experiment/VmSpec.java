package org.memvirt.engine.experiment;

import java.util.ArrayList;
import java.util.List;
import org.memvirt.engine.config.ConfigSettings;
import org.memvirt.engine.config.Units;
import org.memvirt.engine.guest.PageReplacement;

/** One virtual machine, as its section of the experiment says. */
public record VmSpec(String name, long memoryBytes, long shares, long minBytes, long maxBytes, int vcpus,
    int levels, PageReplacement.Policy replacement, long swapBytes, long hugePagesBytes, long freeTargetBytes,
    List<ProcessSpec> processes, ConfigSettings settings) {
  /**
   * VM {@code index} from section {@code s}, on a host of {@code hostMemoryBytes} whose
   * guests default to {@code guestLevels}; a copy's name gets {@code suffix} (null: none).
   */
  static VmSpec read(ConfigSettings s, int index, String suffix, long hostMemoryBytes, int guestLevels,
      long durationNanos) {
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
      processes.add(ProcessSpec.read(p, durationNanos));
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
}
