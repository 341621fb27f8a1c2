package org.memvirt.reclaim.sharing;

import org.memvirt.api.Counter;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.VmMemory;

/**
 * VMware ESX's scanner (Waldspurger OSDI'02, section 4): each VM's pages are visited in
 * random order at most {@code scan_vm} pages per second, all VMs together at most
 * {@code scan_total} (split evenly). A visited private page is hashed and looked up in one
 * global {@link ShareTable}: on a shared frame, a full comparison and the page joins it; on
 * a hint, the hinted page is hashed again (a changed or vanished page leaves a stale hint,
 * dropped, and this page becomes the hint) and compared, and both become shared; on nothing,
 * the page becomes a hint. Pages of zeros map to the zero frame.
 */
final class EsxScanner implements Scanner {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final ScanContext scan;
  private final ScanOrder[] orders;
  /** Scan credit per VM, in page-nanoseconds: a page may be scanned per 10^9 of it. */
  private final long[] credit;
  private final ShareTable table = new ShareTable();
  private final Counter hintMatches;
  private final Counter staleHints;
  private final Counter collisions;
  private final Counter sharedGauge;
  private final Counter hintGauge;
  private final Counter overflowGauge;
  private final Counter overheadGauge;
  private long lastTick = -1;

  EsxScanner(ScanContext scan) {
    this.scan = scan;
    int n = scan.vms().size();
    orders = new ScanOrder[n];
    credit = new long[n];
    for (VmMemory vm : scan.vms()) {
      orders[vm.index()] = new ScanOrder(vm.pages(), scan.reclaim().seed() ^ ContentHash.mix(vm.index() + 1));
    }
    hintMatches = scan.hostCounter(SharingMetrics.HINT_MATCHES.name());
    staleHints = scan.hostCounter(SharingMetrics.HINTS_STALE.name());
    collisions = scan.hostCounter(SharingMetrics.COLLISIONS.name());
    sharedGauge = scan.hostCounter(SharingMetrics.TABLE_SHARED.name());
    hintGauge = scan.hostCounter(SharingMetrics.TABLE_HINTS.name());
    overflowGauge = scan.hostCounter(SharingMetrics.TABLE_OVERFLOW.name());
    overheadGauge = scan.hostCounter(SharingMetrics.OVERHEAD.name());
  }

  ShareTable table() {
    return table;
  }

  /** Full passes over {@code vm}'s pages so far. */
  long passes(int vm) {
    return orders[vm].passes();
  }

  @Override
  public long periodNanos() {
    return scan.settings().periodNanos();
  }

  @Override
  public void tick(long nowNanos) {
    long elapsed = lastTick < 0 ? scan.settings().periodNanos() : nowNanos - lastTick;
    lastTick = nowNanos;
    // Each VM at its own rate, all scaled down together when they add up to more than the total.
    double sum = 0;
    for (VmMemory vm : scan.vms()) {
      sum += scan.enabled()[vm.index()] ? scan.settings().vmRate(vm) : 0;
    }
    if (sum == 0) {
      return;
    }
    double scale = Math.min(1, scan.settings().scanTotalPerSecond() / sum);
    for (VmMemory vm : scan.vms()) {
      int i = vm.index();
      if (!scan.enabled()[i]) {
        continue;
      }
      credit[i] += Math.round(scan.settings().vmRate(vm) * scale * elapsed);
      long pages = credit[i] / NANOS_PER_SECOND;
      credit[i] -= pages * NANOS_PER_SECOND;
      for (long k = 0; k < pages; k++) {
        visit(vm, orders[i].next());
      }
      scan.scanned()[i].add(pages);
    }
  }

  /** One candidate page: hash it and look it up. */
  void visit(VmMemory vm, long gppn) {
    long e = vm.p2m().get(gppn);
    if (!SharedMappings.candidate(e)) {
      return;
    }
    long frame = P2mEntry.value(e);
    long token = scan.host().content(frame);
    scan.hashes().increment();
    if (token == 0 && scan.settings().zeroPage()) {
      // Zero pages carry nothing secret: they map to the one zero frame whatever the salt.
      if (scan.mappings().joinZero(vm, gppn, frame)) {
        scan.zeroMerged()[vm.index()].increment();
      }
      return;
    }
    long key = ContentHash.of(token, scan.salts().of(vm.index()));
    long entry = table.get(key);
    if (entry == LongMaps.MISSING) {
      table.putHint(key, vm.index(), gppn);
    } else if (ShareTable.isShared(entry)) {
      joinShared(vm, gppn, frame, token, key, ShareTable.low(entry));
    } else {
      matchHint(vm, gppn, frame, token, key, entry);
    }
  }

  private void joinShared(VmMemory vm, long gppn, long frame, long token, long key, long shared) {
    scan.compares().increment();
    if (scan.host().content(shared) != token) {
      collisions.increment();
      return;
    }
    scan.mappings().join(vm, gppn, frame, shared);
    table.increment(key);
    scan.merged()[vm.index()].increment();
  }

  private void matchHint(VmMemory vm, long gppn, long frame, long token, long key, long hint) {
    VmMemory other = scan.vms().get(ShareTable.hintVm(hint));
    long otherGppn = ShareTable.low(hint);
    if (other == vm && otherGppn == gppn) {
      return; // its own hint, from an earlier pass: still unshared
    }
    long otherEntry = other.p2m().get(otherGppn);
    if (SharedMappings.candidate(otherEntry)) {
      long otherFrame = P2mEntry.value(otherEntry);
      long otherToken = scan.host().content(otherFrame);
      scan.hashes().increment();
      if (ContentHash.of(otherToken, scan.salts().of(other.index())) == key) {
        scan.compares().increment();
        if (otherToken != token) {
          collisions.increment();
          return;
        }
        scan.mappings().promote(other, otherGppn, otherFrame);
        scan.mappings().join(vm, gppn, frame, otherFrame);
        table.putShared(key, otherFrame, 2);
        hintMatches.increment();
        scan.merged()[vm.index()].increment();
        return;
      }
    }
    // The hinted page changed or went: the hint is stale; this page takes its place.
    staleHints.increment();
    table.putHint(key, vm.index(), gppn);
  }

  @Override
  public void left(VmMemory vm, long gppn, long frame, long token, long sharersLeft) {
    if (scan.mappings().isZeroFrame(frame)) {
      return;
    }
    long key = ContentHash.of(token, scan.salts().of(vm.index()));
    long entry = table.get(key);
    if (entry == LongMaps.MISSING || !ShareTable.isShared(entry) || ShareTable.low(entry) != frame) {
      throw new IllegalStateException("vm " + vm.name() + " page " + gppn + " left shared frame " + frame
          + ", which the table does not hold");
    }
    long count = table.decrement(key);
    if (count != sharersLeft) {
      throw new IllegalStateException("shared frame " + frame + " has " + sharersLeft + " sharers but a count of "
          + count + " in the table");
    }
  }

  @Override
  public boolean knows(VmMemory vm, long frame) {
    long entry = table.get(ContentHash.of(scan.host().content(frame), scan.salts().of(vm.index())));
    return entry != LongMaps.MISSING && ShareTable.isShared(entry) && ShareTable.low(entry) == frame;
  }

  @Override
  public void publish() {
    sharedGauge.set(table.sharedEntries());
    hintGauge.set(table.hintEntries());
    overflowGauge.set(table.overflowEntries());
    overheadGauge.set(table.modelBytes());
  }
}
