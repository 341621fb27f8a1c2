package org.memvirt.api.mmu;

import org.memvirt.api.memory.Pages;

/**
 * A TLB entry, what {@link VcpuMmu#walk} returns and the TLB holds: the host frame shifted
 * left by two; bit 1 marks a 2 MiB entry (the frame is the first of the 2 MiB page); bit 0
 * says a write may use the entry without a walk (the guest entry is writable and dirty,
 * the host's writable). Never negative; {@link #MISS} is what a TLB lookup finds when no
 * entry matches.
 */
public final class TlbEntry {
  /** No entry. */
  public static final long MISS = -1;

  private static final long WRITE_OK = 1;
  private static final long LARGE = 2;
  private static final long SMALL_IN_LARGE = (Pages.LARGE_SIZE >>> Pages.SHIFT) - 1;

  private TlbEntry() {}

  /** A 4 KiB translation to host frame {@code hppn}. */
  public static long small(long hppn, boolean writeOk) {
    return (hppn << 2) | (writeOk ? WRITE_OK : 0);
  }

  /** A 2 MiB translation of the page containing {@code vpn}, whose 4 KiB page {@code vpn} is at {@code hppn}. */
  public static long large(long vpn, long hppn, boolean writeOk) {
    return ((hppn - (vpn & SMALL_IN_LARGE)) << 2) | LARGE | (writeOk ? WRITE_OK : 0);
  }

  /** Whether {@code entry} (or {@link #MISS}) serves an access, a write if {@code write}. */
  public static boolean serves(long entry, boolean write) {
    return entry != MISS && (!write || (entry & WRITE_OK) != 0);
  }

  /** Whether {@code entry} translates a whole 2 MiB page. */
  public static boolean isLarge(long entry) {
    return (entry & LARGE) != 0;
  }

  /** The host frame of page {@code vpn} under {@code entry}. */
  public static long hostFrame(long entry, long vpn) {
    return (entry >>> 2) + ((entry & LARGE) != 0 ? vpn & SMALL_IN_LARGE : 0);
  }
}
