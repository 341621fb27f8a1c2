package org.memvirt.reclaim.sharing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A page layout and what is done to it, as a script that both the real kernel (through
 * {@code ksm_probe}) and memvirt's KSM run: {@code map P0 P1 ...} (regions of pages; one VM
 * each in memvirt), {@code fill R FIRST N TOKEN STEP} (page FIRST+k of region R holds
 * TOKEN + k*STEP; 0 is a page of zeros), {@code merge}, {@code scans N} (until N full scans
 * since merge) and {@code print LABEL} (every counter). {@link #simulate} gives memvirt's
 * printed lines.
 */
record KsmLayout(String name, List<String> script) {
  /** The counters compared, as {@code /sys/kernel/mm/ksm} names them. */
  static final List<String> COUNTERS = List.of(SharingMetrics.PAGES_SHARED.name(), SharingMetrics.PAGES_SHARING.name(),
      SharingMetrics.PAGES_UNSHARED.name(), SharingMetrics.PAGES_VOLATILE.name(), SharingMetrics.FULL_SCANS.name(),
      SharingMetrics.GENERAL_PROFIT.name(), SharingMetrics.STABLE_NODE_CHAINS.name(), SharingMetrics.STABLE_NODE_DUPS.name(),
      SharingMetrics.KSM_ZERO_PAGES.name());

  /** The kernel's settings the layouts are run at (smart_scan 0, the rest at their defaults). */
  static final Map<String, Object> SETTINGS = Map.of("scanner", "ksm", "pages_to_scan", "100", "sleep_millisecs",
      "20", "max_page_sharing", "256", "use_zero_pages", "false");

  /** Runs the script on memvirt's KSM; returns each printed label with its counters. */
  Map<String, Map<String, Long>> simulate() {
    Rig rig = null;
    boolean merged = false;
    Map<String, Map<String, Long>> printed = new LinkedHashMap<>();
    for (String line : script) {
      String[] w = line.trim().split("\\s+");
      switch (w[0]) {
        case "map" -> {
          int pages = 0;
          for (int i = 1; i < w.length; i++) {
            pages = Math.max(pages, Integer.parseInt(w[i]));
          }
          rig = new Rig(w.length - 1, pages, SETTINGS);
        }
        case "fill" -> {
          int r = Integer.parseInt(w[1]);
          long first = Long.parseLong(w[2]);
          long n = Long.parseLong(w[3]);
          long token = Long.parseUnsignedLong(w[4]);
          long step = Long.parseUnsignedLong(w[5]);
          for (long k = 0; k < n; k++) {
            if (merged) {
              rig.write(r, first + k, token + k * step);
            } else {
              rig.vm(r).back(first + k, token + k * step);
            }
          }
        }
        case "merge" -> merged = true; // memvirt's scanner runs only from here: nothing ticks it before
        case "scans" -> {
          long n = Long.parseLong(w[1]);
          KsmScanner ksm = (KsmScanner) rig.sharing.scanner();
          for (int i = 0; i < 10_000_000 && ksm.fullScans() < n; i++) {
            rig.tick();
          }
        }
        case "print" -> {
          Map<String, Long> values = new LinkedHashMap<>();
          for (String c : COUNTERS) {
            values.put(c, rig.host(c));
          }
          printed.put(w[1], values);
          rig.host.checkFrames();
        }
        default -> throw new IllegalArgumentException(name + ": unknown command " + line);
      }
    }
    return printed;
  }

  /** Parses the probe's output lines ({@code LABEL key=value ...}). */
  static Map<String, Map<String, Long>> parse(List<String> lines) {
    Map<String, Map<String, Long>> printed = new LinkedHashMap<>();
    for (String line : lines) {
      String[] w = line.trim().split("\\s+");
      Map<String, Long> values = new LinkedHashMap<>();
      for (int i = 1; i < w.length; i++) {
        String[] kv = w[i].split("=", 2);
        values.put(kv[0], Long.parseLong(kv[1]));
      }
      printed.put(w[0], values);
    }
    return printed;
  }

  static KsmLayout of(String name, String... script) {
    return new KsmLayout(name, new ArrayList<>(List.of(script)));
  }

  @Override
  public String toString() {
    return name;
  }
}
