package org.memvirt.reclaim.sharing;

import java.util.List;
import org.memvirt.api.Settings;

/**
 * The {@code reclaim.sharing} section: which scanner, its rates, and what it shares.
 * Defaults are the real systems': ESX 2.x's scan rates (Waldspurger OSDI'02,
 * {@code Mem.ShareScanVM} and {@code Mem.ShareScanTotal}) and Linux KSM's sysfs knobs
 * (Documentation/admin-guide/mm/ksm.rst).
 */
record SharingSettings(String scanner, double scanVmPerSecond, double scanTotalPerSecond, long scanTimeNanos,
    long periodNanos, boolean zeroPage, long pagesToScan, long sleepNanos, int maxPageSharing, boolean useZeroPages,
    long chainPruneNanos) {

  private static final List<String> ESX_KEYS = List.of("scan_vm", "scan_total", "scan_time", "period", "zero_page");
  private static final List<String> KSM_KEYS = List.of("pages_to_scan", "sleep_millisecs", "max_page_sharing",
      "use_zero_pages", "stable_node_chains_prune_millisecs");

  static SharingSettings read(Settings s) {
    String scanner = s.choice("scanner", "esx", "esx", "ksm");
    List<String> others = scanner.equals("esx") ? KSM_KEYS : ESX_KEYS;
    for (String key : others) {
      if (s.has(key)) {
        throw s.invalid(key, "scanner: " + (scanner.equals("esx") ? "ksm" : "esx") + " for this setting (scanner is "
            + scanner + ")");
      }
    }
    if (scanner.equals("esx")) {
      // ESXi 4+: each VM scanned whole once per Mem.ShareScanTime (60 min), instead of a fixed rate.
      long scanTime = 0;
      if (s.has("scan_time")) {
        if (s.has("scan_vm")) {
          throw s.invalid("scan_vm", "no rate per VM with scan_time (each VM's rate is its pages per scan_time)");
        }
        scanTime = s.duration("scan_time", 3_600_000_000_000L);
        if (scanTime <= 0) {
          throw s.invalid("scan_time", "a positive duration, e.g. 60min (ESXi Mem.ShareScanTime)");
        }
      }
      // Mem.ShareScanVM 50 pages/s per VM, Mem.ShareScanTotal 200 pages/s in all (ESX 2.x);
      // with scan_time, no total unless one is given (ESXi caps scanning by CPU instead).
      double perVm = scanTime > 0 ? 0 : s.rate("scan_vm", 50);
      double total = scanTime > 0 && !s.has("scan_total") ? Double.POSITIVE_INFINITY : s.rate("scan_total", 200);
      if (scanTime == 0 && perVm <= 0) {
        throw s.invalid("scan_vm", "a positive rate of pages per second per VM (ESX 2.x: 50/s)");
      }
      if (total <= 0) {
        throw s.invalid("scan_total", "a positive rate of pages per second in all (ESX 2.x: 200/s)");
      }
      // The scanner wakes ten times a second, so a rate is honoured within a tenth of a second.
      long period = s.duration("period", 100_000_000L);
      if (period <= 0) {
        throw s.invalid("period", "a positive duration, e.g. 100ms");
      }
      // ESX counts zero pages apart: they map to one zero frame.
      boolean zero = s.flag("zero_page", true);
      return new SharingSettings(scanner, perVm, total, scanTime, period, zero, 0, 0, 0, false, 0);
    }
    long pages = s.count("pages_to_scan", 100);
    if (pages <= 0 || pages > Integer.MAX_VALUE) {
      throw s.invalid("pages_to_scan", "a positive number of pages per wake-up (Linux: 100)");
    }
    long sleep = s.count("sleep_millisecs", 20);
    if (sleep <= 0 || sleep > 0xFFFF_FFFFL) {
      // Linux reads it as an unsigned int; in nanoseconds it must not overflow either.
      throw s.invalid("sleep_millisecs", "a positive number of milliseconds between wake-ups, at most 4294967295 "
          + "(Linux: 20)");
    }
    long max = s.count("max_page_sharing", 256);
    if (max < 2 || max > 65_536) {
      throw s.invalid("max_page_sharing", "a number of mappings per stable node from 2 to 65536 (Linux: 256)");
    }
    boolean zero = s.flag("use_zero_pages", false);
    long prune = s.count("stable_node_chains_prune_millisecs", 2000);
    if (prune < 10 || prune > 0xFFFF_FFFFL) {
      // Linux refuses less than 10 ms (stable_node_chains_prune_millisecs_store).
      throw s.invalid("stable_node_chains_prune_millisecs", "milliseconds between full walks of a stable node chain, "
          + "from 10 to 4294967295 (Linux: 2000)");
    }
    return new SharingSettings(scanner, 0, 0, 0, sleep * 1_000_000L, false, pages, sleep * 1_000_000L, (int) max,
        zero, prune * 1_000_000L);
  }

  /** ESX: pages per second {@code vm} is scanned at before the total cap, by scan_vm or scan_time. */
  double vmRate(org.memvirt.api.reclaim.VmMemory vm) {
    return scanTimeNanos > 0 ? vm.pages() * 1e9 / scanTimeNanos : scanVmPerSecond;
  }

  boolean ksm() {
    return scanner.equals("ksm");
  }

  /** Whether pages of zeros map to the one zero frame (ESX's zero page, KSM's use_zero_pages). */
  boolean sharesZeroPage() {
    return ksm() ? useZeroPages : zeroPage;
  }
}
