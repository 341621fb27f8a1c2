package org.memvirt.reclaim.sharing;

/**
 * KSM's rmap items of one VM, as primitive arrays indexed by guest page: whether the page
 * has an item and where its last visit left it, the tree generation it entered the
 * unstable tree in, and its last checksum (0 for a new item, as in the kernel). Six bytes
 * per guest page, allocated on the VM's first scan; the kernel spends 64 per present page.
 */
final class RmapItems {
  static final byte NONE = 0;
  /** An item in no tree: new, or changed since its last visit. */
  static final byte VOLATILE = 1;
  static final byte UNSTABLE = 2;
  static final byte STABLE = 3;
  /** Merged with the zero page ({@code use_zero_pages}). */
  static final byte ZERO = 4;
  /** Still on a stable node whose frame the page no longer maps, until the page's next visit. */
  static final byte STALE = 5;

  final byte[] state;
  final byte[] age;
  final int[] checksum;

  RmapItems(long pages) {
    if (pages > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a VM of more than 2^31 pages");
    }
    state = new byte[(int) pages];
    age = new byte[(int) pages];
    checksum = new int[(int) pages];
  }
}
