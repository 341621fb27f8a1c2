package org.memvirt.reclaim.sharing;

import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import org.memvirt.api.Counter;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.VmMemory;

/**
 * Linux KSM's ksmd (mm/ksm.c): every {@code sleep_millisecs} it visits the next
 * {@code pages_to_scan} present pages, VM after VM in address order, in Linux 6.18's order:
 * a page already merged stays; else, if its checksum changed since the last visit, it is
 * volatile and only the checksum is kept; else ({@code use_zero_pages}: a page of zeros
 * maps to the zero page) it is looked up in the stable tree (merged pages, write-protected)
 * and joins a node with room, or in the unstable tree: an equal page there and the two merge
 * into a new stable node, none and it is inserted. The unstable tree is emptied after every full scan. Counters keep
 * the kernel's meaning (see {@link SharingMetrics}).
 */
final class KsmScanner implements Scanner {
  /** sizeof(struct ksm_rmap_item) on 64-bit Linux, as {@code general_profit} charges it. */
  static final int RMAP_ITEM_BYTES = 64;
  /** sizeof(struct ksm_stable_node), about as much (estimate). */
  static final int STABLE_NODE_BYTES = 64;
  private static final long PAGE_BYTES = 4096;

  private final ScanContext scan;
  private final boolean anyEnabled;
  private final RmapItems[] items;
  private final StableTree stable = new StableTree();
  /** The unstable tree of this scan: content key → (vm << 40 | gppn). */
  private final Long2LongOpenHashMap unstable = LongMaps.create();
  /** Items left on a node their page no longer maps, until the page is visited: (vm << 40 | gppn) → node ticket. */
  private final Long2LongOpenHashMap staleItems = LongMaps.create();
  /** The time of this wake-up, as stable node chains are pruned by it. */
  private long now;
  private int cursorVm;
  private long cursorPage;
  /** The scan's sequence number, as the kernel ages unstable-tree items. */
  private byte seqnr;
  private long fullScans;
  private long rmapItems;
  private long unshared;
  private long zeroPages;
  private final Counter treeSteps;
  private final Counter[] gauges;

  KsmScanner(ScanContext scan) {
    this.scan = scan;
    items = new RmapItems[scan.vms().size()];
    boolean any = false;
    for (boolean e : scan.enabled()) {
      any |= e;
    }
    anyEnabled = any;
    treeSteps = scan.hostCounter(SharingMetrics.TREE_STEPS.name());
    String[] names = {SharingMetrics.PAGES_SHARED.name(), SharingMetrics.PAGES_SHARING.name(), SharingMetrics.PAGES_UNSHARED.name(),
        SharingMetrics.PAGES_VOLATILE.name(), SharingMetrics.FULL_SCANS.name(), SharingMetrics.STABLE_NODE_CHAINS.name(),
        SharingMetrics.STABLE_NODE_DUPS.name(), SharingMetrics.GENERAL_PROFIT.name(), SharingMetrics.KSM_ZERO_PAGES.name(),
        SharingMetrics.RMAP_ITEMS.name(), SharingMetrics.OVERHEAD.name()};
    gauges = new Counter[names.length];
    for (int i = 0; i < names.length; i++) {
      gauges[i] = scan.hostCounter(names[i]);
    }
  }

  @Override
  public long periodNanos() {
    return scan.settings().sleepNanos();
  }

  /**
   * One wake-up of ksmd: the next {@code pages_to_scan} present pages. Reaching the end of the
   * last VM completes a full scan and ends the wake-up, as the kernel's scan does.
   */
  @Override
  public void tick(long nowNanos) {
    if (!anyEnabled) {
      return; // no VM has mergeable memory: ksmd has nothing to scan
    }
    now = nowNanos;
    long budget = scan.settings().pagesToScan();
    while (budget > 0) {
      if (cursorVm == scan.vms().size()) {
        endScan();
        return;
      }
      VmMemory vm = scan.vms().get(cursorVm);
      if (!scan.enabled()[cursorVm] || cursorPage >= vm.pages()) {
        cursorVm++;
        cursorPage = 0;
        continue;
      }
      long g = cursorPage++;
      long e = vm.p2m().get(g);
      if (SharedMappings.candidate(e) || scan.mappings().ours(e)) {
        visit(vm, g, e);
        scan.scanned()[vm.index()].increment();
        budget--;
      } else {
        forget(vm.index(), g);
      }
    }
  }

  /**
   * The cursor passed the last VM: a full scan is done (the kernel's {@code full_scans} is
   * its scan sequence number) and the next one builds a new unstable tree.
   */
  private void endScan() {
    cursorVm = 0;
    cursorPage = 0;
    fullScans++;
    seqnr = (byte) fullScans;
    unstable.clear();
  }

  /** The page is not present (unbacked, or another technique holds it): its item goes. */
  private void forget(int vm, long g) {
    RmapItems r = items[vm];
    if (r == null || r.state[(int) g] == RmapItems.NONE) {
      return;
    }
    if (r.state[(int) g] == RmapItems.UNSTABLE) {
      unshared--;
    } else if (r.state[(int) g] == RmapItems.STALE) {
      stable.removeItem(staleItems.remove(itemKey(vm, g)));
    }
    r.state[(int) g] = RmapItems.NONE;
    rmapItems--;
  }

  /** cmp_and_merge_page: one present page. */
  private void visit(VmMemory vm, long g, long e) {
    int v = vm.index();
    RmapItems r = items[v];
    if (r == null) {
      r = items[v] = new RmapItems(vm.pages());
    }
    int gi = (int) g;
    if (r.state[gi] == RmapItems.NONE) {
      r.state[gi] = RmapItems.VOLATILE;
      r.checksum[gi] = 0;
      rmapItems++;
    }
    if (scan.mappings().ours(e)) {
      return; // already merged: the stable tree search returns the page itself, no walk
    }
    // remove_rmap_item_from_tree: off the unstable tree it was put in, or off the stable node
    // a copy-on-write left it on.
    if (r.state[gi] == RmapItems.UNSTABLE) {
      unshared--;
    } else if (r.state[gi] == RmapItems.STALE) {
      stable.removeItem(staleItems.remove(itemKey(v, g)));
    }
    r.state[gi] = RmapItems.VOLATILE;
    long frame = P2mEntry.value(e);
    long token = scan.host().content(frame);
    // Linux 6.18 checks the checksum before it searches the stable tree: a page that changed
    // since its last visit is not looked up anywhere.
    scan.hashes().increment();
    int checksum = ContentHash.checksum(token);
    if (r.checksum[gi] != checksum) {
      r.checksum[gi] = checksum;
      return;
    }
    if (scan.settings().useZeroPages() && token == 0) {
      scan.compares().increment();
      if (scan.mappings().joinZero(vm, g, frame)) {
        r.state[gi] = RmapItems.ZERO;
        zeroPages++;
        scan.zeroMerged()[v].increment();
      }
      return;
    }
    long key = ContentHash.of(token, scan.salts().of(v));
    treeSteps.add(stable.depth());
    int node = stable.search(key, scan.settings().maxPageSharing(), now, scan.settings().chainPruneNanos());
    if (node >= 0 && scan.host().content(stable.frame(node)) == token) {
      scan.compares().increment();
      scan.mappings().join(vm, g, frame, stable.frame(node));
      stable.add(node);
      r.state[gi] = RmapItems.STABLE;
      scan.merged()[v].increment();
      return;
    }
    treeSteps.add(64 - Long.numberOfLeadingZeros(unstable.size()));
    long other = unstable.get(key);
    if (other != LongMaps.MISSING && mergeWithTreePage(vm, g, frame, token, key, other)) {
      return;
    }
    unstable.put(key, ((long) v << 40) | g);
    r.state[gi] = RmapItems.UNSTABLE;
    r.age[gi] = seqnr;
    unshared++;
  }

  /**
   * The unstable tree holds {@code other} under this content: if it is still there, unchanged
   * and not this page, the two merge into a new stable node (a dup in a chain when nodes of
   * this content are full).
   */
  private boolean mergeWithTreePage(VmMemory vm, long g, long frame, long token, long key, long other) {
    int ov = (int) (other >>> 40);
    long og = other & ((1L << 40) - 1);
    if (ov == vm.index() && og == g) {
      return false;
    }
    VmMemory otherVm = scan.vms().get(ov);
    RmapItems or = items[ov];
    long oe = otherVm.p2m().get(og);
    if (!SharedMappings.candidate(oe) || or.state[(int) og] != RmapItems.UNSTABLE || or.age[(int) og] != seqnr
        || scan.host().content(P2mEntry.value(oe)) != token) {
      return false; // the tree page changed or went: this page takes its place
    }
    scan.compares().increment();
    long shared = P2mEntry.value(oe);
    scan.mappings().promote(otherVm, og, shared);
    scan.mappings().join(vm, g, frame, shared);
    stable.insert(key, shared, 2, now);
    unstable.remove(key);
    or.state[(int) og] = RmapItems.STABLE;
    unshared--;
    items[vm.index()].state[(int) g] = RmapItems.STABLE;
    scan.merged()[vm.index()].increment();
    return true;
  }

  @Override
  public void left(VmMemory vm, long gppn, long frame, long token, long sharersLeft) {
    RmapItems r = items[vm.index()];
    if (scan.mappings().isZeroFrame(frame)) {
      r.state[(int) gppn] = RmapItems.VOLATILE;
      zeroPages--;
      return;
    }
    int node = stable.nodeOf(frame);
    if (node < 0 || r.state[(int) gppn] != RmapItems.STABLE) {
      throw new IllegalStateException("vm " + vm.name() + " page " + gppn + " left frame " + frame
          + ", which no stable node holds with this page's item");
    }
    long left = stable.unmap(node);
    if (left != sharersLeft) {
      throw new IllegalStateException("stable node of frame " + frame + " is mapped by " + left
          + " pages but the frame has " + sharersLeft + " sharers");
    }
    // The kernel's counters see the page go only when ksmd next visits it.
    r.state[(int) gppn] = RmapItems.STALE;
    staleItems.put(itemKey(vm.index(), gppn), stable.ticket(node));
  }

  private static long itemKey(int vm, long gppn) {
    return ((long) vm << 40) | gppn;
  }

  @Override
  public boolean knows(VmMemory vm, long frame) {
    return stable.nodeOf(frame) >= 0;
  }

  long fullScans() {
    return fullScans;
  }

  StableTree stable() {
    return stable;
  }

  long rmapItems() {
    return rmapItems;
  }

  long unshared() {
    return unshared;
  }

  /** rmap items less shared, sharing and unshared, never below 0 (the kernel's pages_volatile). */
  long volatilePages() {
    return Math.max(0, rmapItems - stable.nodes() - stable.sharing() - unshared);
  }

  /** The kernel's general_profit, in bytes. */
  long generalProfit() {
    return (stable.sharing() + zeroPages) * PAGE_BYTES - rmapItems * RMAP_ITEM_BYTES;
  }

  long zeroPages() {
    return zeroPages;
  }

  @Override
  public void publish() {
    long[] values = {stable.nodes(), stable.sharing(), unshared, volatilePages(), fullScans, stable.chains(),
        stable.dups(), generalProfit(), zeroPages, rmapItems,
        rmapItems * RMAP_ITEM_BYTES + stable.nodes() * STABLE_NODE_BYTES};
    for (int i = 0; i < values.length; i++) {
      gauges[i].set(values[i]);
    }
  }
}
