package org.memvirt.reclaim.swap;

import org.memvirt.api.Settings;
import org.memvirt.api.memory.HostMemoryState;
import org.memvirt.api.memory.Pages;
import org.memvirt.api.reclaim.VmMemory;

/**
 * The {@code reclaim.swap} section: which device (its swap-in cost), its size, how victims
 * are picked, whether zero pages are written, VSwapper's mechanisms ({@code mapper}), and
 * the compression cache.
 */
record SwapSettings(String device, long sizeBytes, String victims, boolean zeroPages, boolean mapper,
    boolean compression, double zipMaxPct, HostMemoryState actsFrom, boolean shared) {
  /**
   * Size value meaning: each VM's device holds its configured memory less its reservation, as
   * ESX sizes a VM's .vswp file. Not max − min: a shares policy or the host's pressure can
   * squeeze a VM below its limit, down to its reservation.
   */
  static final long AUTO = -1;

  static SwapSettings read(Settings s) {
    String device = s.choice("device", "ssd", "ssd", "disk");
    long size = s.has("size") ? s.pageBytes("size", 0) : AUTO;
    if (s.has("size") && size < 0) {
      throw s.invalid("size", "a device size per VM, 0 or more (absent: memory - min of each VM, as ESX sizes its "
          + ".vswp file)");
    }
    String victims = s.choice("victims", "random", "random", "clock");
    boolean zero = s.flag("zero_pages", true);
    // VSwapper's Swap Mapper and False Reads Preventer (Amit et al., ASPLOS'14); off, as in
    // the hypervisors it measured.
    boolean mapper = s.flag("mapper", false);
    // ESX's memory compression: victims that compress to half a page or less go to a cache
    // of at most Mem.MemZipMaxPct (10%) of the VM's memory. Off unless asked for.
    boolean compression = s.flag("compression", false);
    double zipMaxPct = s.fraction("zip_max_pct", 0.10);
    HostMemoryState from = HostMemoryState.valueOf(s.choice("acts_from", "hard", "soft", "hard", "low")
        .toUpperCase(java.util.Locale.ROOT));
    // Shared frames as victims, taken whole from their holder (Linux swaps KSM pages; ESX can
    // page out a shared page). Off: only private pages, as memvirt did before.
    boolean shared = s.flag("shared", false);
    return new SwapSettings(device, size, victims, zero, mapper, compression, zipMaxPct, from, shared);
  }

  /** Slots of {@code vm}'s device; refuses a size that cannot hold what may have to go there. */
  long slotsFor(VmMemory vm, Settings s) {
    long needed = vm.pages() - vm.minPages();
    if (sizeBytes == AUTO) {
      return needed;
    }
    long slots = Pages.count(sizeBytes);
    if (slots < needed) {
      throw s.invalid("size", "a device per VM of at least memory - min, " + needed * 4 + "KiB for vm "
          + vm.name() + " (as ESX sizes its .vswp file, so that every page above the reservation can go, whatever "
          + "squeezes the VM)");
    }
    return slots;
  }
}
