package org.memvirt.reclaim.sharing;

import java.util.List;

/**
 * The layouts memvirt's KSM is checked on against the real kernel ({@link KernelKsmTest})
 * and against the kernel's figures measured on Linux 6.18 ({@link KsmLayoutsTest}). Each
 * prints after the first full scan (nothing merges before the second) and once settled.
 */
final class KsmLayouts {
  private KsmLayouts() {}

  static List<KsmLayout> all() {
    return List.of(
        // 300 identical pages in each of two regions: 600 mappings of one content, a chain.
        KsmLayout.of("identical pages across regions", "map 300 300", "fill 0 0 300 7 0", "fill 1 0 300 7 0", "merge",
            "scans 1", "print first", "scans 3", "print settled"),
        // Page k alike in every region, unlike any other page of its own.
        KsmLayout.of("unique within a region, identical across", "map 1000 1000", "fill 0 0 1000 1000 1",
            "fill 1 0 1000 1000 1", "merge", "scans 1", "print first", "scans 3", "print settled"),
        // 1000 pages of zeros: four stable nodes of at most 256 mappings.
        KsmLayout.of("zero pages beyond one stable node", "map 1000", "fill 0 0 1000 0 0", "merge", "scans 1",
            "print first", "scans 3", "print settled"),
        // Two VMs of 302 zero pages and 500 pages alike across them: 604 zero mappings in 3 dups.
        KsmLayout.of("zero pages beside identical ones", "map 802 802", "fill 0 0 302 0 0", "fill 0 302 500 1000 1",
            "fill 1 0 302 0 0", "fill 1 302 500 1000 1", "merge", "scans 1", "print first", "scans 3",
            "print settled"),
        // Merged, then one region rewritten (just after a full scan, before ksmd wakes again):
        // sharing drops at once, the pages go volatile on the next scan, unshared on the one after.
        KsmLayout.of("a region rewritten after merging", "map 400 400", "fill 0 0 400 5000 1", "fill 1 0 400 5000 1",
            "merge", "scans 3", "print merged", "fill 1 0 400 90000 1", "print rewritten", "scans 4",
            "print visited", "scans 5", "print settled"),
        // A chain of 256/256/88; 200 pages of the first dup rewritten and, once visited, written
        // back: they merge into the chain's first dup with room (its newest), and past its 256
        // the rest start a new dup, unless the chain was pruned since (the fullest then).
        KsmLayout.of("a chain's dups refilled", "map 300 300", "fill 0 0 300 7 0", "fill 1 0 300 7 0", "merge",
            "scans 3", "print merged", "fill 0 0 200 100 1", "print rewritten", "scans 4", "print visited",
            "fill 0 0 200 7 0", "scans 5", "print written-back", "scans 7", "print settled", "scans 30",
            "print pruned"),
        // Per region 100 zero, 600 alike across regions, 300 unique.
        KsmLayout.of("zero, identical and unique pages", "map 1000 1000", "fill 0 0 100 0 0", "fill 0 100 600 2000 1",
            "fill 0 700 300 50000 1", "fill 1 0 100 0 0", "fill 1 100 600 2000 1", "fill 1 700 300 60000 1",
            "merge", "scans 1", "print first", "scans 3", "print settled"));
  }
}
