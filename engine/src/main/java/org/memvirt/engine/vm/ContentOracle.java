package org.memvirt.engine.vm;

import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;

/**
 * Remembers what every guest process last wrote at each virtual page and checks every read
 * against the host frame it translates to: no technique may lose or leak a write. A page
 * never written must read as zeros. On in tests and with {@code --verify}; off otherwise.
 */
public final class ContentOracle {
  private final String vmName;
  /** Per process: virtual page to the token last written (0, the zero page, when none: what a lookup of an absent page gives). */
  private Long2LongOpenHashMap[] written = new Long2LongOpenHashMap[4];
  private long checks;

  public ContentOracle(String vmName) {
    this.vmName = vmName;
  }

  private Long2LongOpenHashMap of(int pid) {
    if (pid >= written.length) {
      written = java.util.Arrays.copyOf(written, Math.max(pid + 1, written.length * 2));
    }
    if (written[pid] == null) {
      written[pid] = new Long2LongOpenHashMap(1024);
    }
    return written[pid];
  }

  void wrote(int pid, long gvpn, long token) {
    of(pid).put(gvpn, token);
  }

  void read(int pid, long gvpn, long found, long gva, long simNanos) {
    checks++;
    long expected = of(pid).get(gvpn);
    if (found != expected) {
      throw new ContentOracleViolation(String.format(
          "content oracle: vm %s process %d read gva 0x%x at %d ns and found content %016x, but last wrote %016x",
          vmName, pid, gva, simNanos, found, expected));
    }
  }

  public long checks() {
    return checks;
  }
}
