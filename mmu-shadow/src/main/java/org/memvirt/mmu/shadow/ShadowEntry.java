package org.memvirt.mmu.shadow;

/**
 * The encoding of a shadow entry: present, writable and leaf bits; below a non-leaf entry
 * the child shadow page's id; in a leaf the host frame and the guest frame it came from
 * (which the reverse map and the guest-coherence checks need).
 */
final class ShadowEntry {
  static final long PRESENT = 1;
  static final long WRITABLE = 2;
  static final long LEAF = 4;
  private static final long FRAME_MASK = (1L << 31) - 1;

  private ShadowEntry() {}

  static boolean present(long e) {
    return (e & PRESENT) != 0;
  }

  static boolean leaf(long e) {
    return (e & LEAF) != 0;
  }

  static boolean writable(long e) {
    return (e & WRITABLE) != 0;
  }

  /** The child shadow page of a non-leaf entry. */
  static int child(long e) {
    return (int) (e >>> 3);
  }

  /** A non-leaf entry pointing to shadow page {@code child}. */
  static long toChild(int child) {
    return PRESENT | ((long) child << 3);
  }

  static long hostFrame(long e) {
    return (e >>> 3) & FRAME_MASK;
  }

  static long guestFrame(long e) {
    return e >>> 34;
  }

  /** A leaf mapping guest frame {@code gppn} to host frame {@code hppn}. */
  static long mapping(long hppn, long gppn, boolean writable) {
    return PRESENT | LEAF | (writable ? WRITABLE : 0) | (hppn << 3) | (gppn << 34);
  }
}
