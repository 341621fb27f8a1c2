package org.memvirt.reclaim.sharing;

/**
 * What the scanners compute from a page: the 64-bit hash of its content and its VM's salt
 * (ESX's table key), and the 32-bit checksum KSM keeps per page to tell whether it changed
 * (the kernel: xxhash truncated to 32 bits). A content token stands for the page's 4 KiB,
 * so computing either is charged as hashing a page.
 */
final class ContentHash {
  private ContentHash() {}

  /** The hash of content {@code token} under {@code salt}; salt 0 is the unsalted hash. */
  static long of(long token, long salt) {
    return mix(token * 0x9E3779B97F4A7C15L + mix(salt));
  }

  /** KSM's checksum of a page holding {@code token}. */
  static int checksum(long token) {
    return (int) (mix(token ^ 0x6b736d5f63686b73L) >>> 32);
  }

  /** SplitMix64's finalizer: a bijection that mixes every bit. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
