package org.memvirt.reclaim.sharing;

import java.util.List;
import org.memvirt.api.Counter;
import org.memvirt.api.memory.HostMemory;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.ReclaimContext;
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

  private final HostMemory host;
  private final List<VmMemory> vms;
  private final SharingSettings settings;
  private final SharedMappings mappings;
  private final Salts salts;
  private final boolean[] enabled;
  private final ScanOrder[] orders;
  /** Scan credit per VM, in page-nanoseconds: a page may be scanned per 10^9 of it. */
  private final long[] credit;
  private final ShareTable table = new ShareTable();
  private final Counter[] scanned;
  private final Counter[] merged;
  private final Counter[] zeroMerged;
  private final Counter hashes;
  private final Counter compares;
  private final Counter hintMatches;
  private final Counter staleHints;
  private final Counter collisions;
  private final Counter sharedGauge;
  private final Counter hintGauge;
  private final Counter overflowGauge;
  private final Counter overheadGauge;
  private long lastTick = -1;

  EsxScanner(ReclaimContext ctx, SharingSettings settings, SharedMappings mappings, Salts salts, boolean[] enabled) {
    this.host = ctx.host();
    this.vms = ctx.vms();
    this.settings = settings;
    this.mappings = mappings;
    this.salts = salts;
    this.enabled = enabled;
    int n = vms.size();
    orders = new ScanOrder[n];
    credit = new long[n];
    scanned = new Counter[n];
    merged = new Counter[n];
    zeroMerged = new Counter[n];
    for (VmMemory vm : vms) {
      int i = vm.index();
      orders[i] = new ScanOrder(vm.pages(), ctx.seed() ^ ContentHash.mix(i + 1));
      scanned[i] = vm.metrics().counter(SharingMetrics.SCANNED);
      merged[i] = vm.metrics().counter(SharingMetrics.MERGED);
      zeroMerged[i] = vm.metrics().counter(SharingMetrics.ZERO_MERGED);
    }
    hashes = ctx.hostMetrics().counter(SharingMetrics.HASHES);
    compares = ctx.hostMetrics().counter(SharingMetrics.COMPARES);
    hintMatches = ctx.hostMetrics().counter(SharingMetrics.HINT_MATCHES);
    staleHints = ctx.hostMetrics().counter(SharingMetrics.HINTS_STALE);
    collisions = ctx.hostMetrics().counter(SharingMetrics.COLLISIONS);
    sharedGauge = ctx.hostMetrics().counter(SharingMetrics.TABLE_SHARED);
    hintGauge = ctx.hostMetrics().counter(SharingMetrics.TABLE_HINTS);
    overflowGauge = ctx.hostMetrics().counter(SharingMetrics.TABLE_OVERFLOW);
    overheadGauge = ctx.hostMetrics().counter(SharingMetrics.OVERHEAD);
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
    return settings.periodNanos();
  }

  @Override
  public void tick(long nowNanos) {
    long elapsed = lastTick < 0 ? settings.periodNanos() : nowNanos - lastTick;
    lastTick = nowNanos;
    int sharing = 0;
    for (boolean e : enabled) {
      sharing += e ? 1 : 0;
    }
    if (sharing == 0) {
      return;
    }
    double rate = Math.min(settings.scanVmPerSecond(), settings.scanTotalPerSecond() / sharing);
    long earned = Math.round(rate * elapsed);
    for (VmMemory vm : vms) {
      int i = vm.index();
      if (!enabled[i]) {
        continue;
      }
      credit[i] += earned;
      long pages = credit[i] / NANOS_PER_SECOND;
      credit[i] -= pages * NANOS_PER_SECOND;
      for (long k = 0; k < pages; k++) {
        visit(vm, orders[i].next());
      }
      scanned[i].add(pages);
    }
  }

  /** One candidate page: hash it and look it up. */
  void visit(VmMemory vm, long gppn) {
    long e = vm.p2m().get(gppn);
    if (!SharedMappings.candidate(e)) {
      return;
    }
    long frame = P2mEntry.value(e);
    long token = host.content(frame);
    hashes.increment();
    if (token == 0 && settings.zeroPage()) {
      // Zero pages carry nothing secret: they map to the one zero frame whatever the salt.
      if (mappings.joinZero(vm, gppn, frame)) {
        zeroMerged[vm.index()].increment();
      }
      return;
    }
    long key = ContentHash.of(token, salts.of(vm.index()));
    long entry = table.get(key);
    if (entry == LongLongMap.MISSING) {
      table.putHint(key, vm.index(), gppn);
    } else if (ShareTable.isShared(entry)) {
      joinShared(vm, gppn, frame, token, key, ShareTable.low(entry));
    } else {
      matchHint(vm, gppn, frame, token, key, entry);
    }
  }

  private void joinShared(VmMemory vm, long gppn, long frame, long token, long key, long shared) {
    compares.increment();
    if (host.content(shared) != token) {
      collisions.increment();
      return;
    }
    mappings.join(vm, gppn, frame, shared);
    table.increment(key);
    merged[vm.index()].increment();
  }

  private void matchHint(VmMemory vm, long gppn, long frame, long token, long key, long hint) {
    VmMemory other = vms.get(ShareTable.hintVm(hint));
    long otherGppn = ShareTable.low(hint);
    if (other == vm && otherGppn == gppn) {
      return; // its own hint, from an earlier pass: still unshared
    }
    long otherEntry = other.p2m().get(otherGppn);
    if (SharedMappings.candidate(otherEntry)) {
      long otherFrame = P2mEntry.value(otherEntry);
      long otherToken = host.content(otherFrame);
      hashes.increment();
      if (ContentHash.of(otherToken, salts.of(other.index())) == key) {
        compares.increment();
        if (otherToken != token) {
          collisions.increment();
          return;
        }
        mappings.promote(other, otherGppn, otherFrame);
        mappings.join(vm, gppn, frame, otherFrame);
        table.putShared(key, otherFrame, 2);
        hintMatches.increment();
        merged[vm.index()].increment();
        return;
      }
    }
    // The hinted page changed or went: the hint is stale; this page takes its place.
    staleHints.increment();
    table.putHint(key, vm.index(), gppn);
  }

  @Override
  public void left(VmMemory vm, long gppn, long frame, long token, long sharersLeft) {
    if (mappings.isZeroFrame(frame)) {
      return;
    }
    long key = ContentHash.of(token, salts.of(vm.index()));
    long entry = table.get(key);
    if (entry == LongLongMap.MISSING || !ShareTable.isShared(entry) || ShareTable.low(entry) != frame) {
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
    long entry = table.get(ContentHash.of(host.content(frame), salts.of(vm.index())));
    return entry != LongLongMap.MISSING && ShareTable.isShared(entry) && ShareTable.low(entry) == frame;
  }

  @Override
  public void publish() {
    set(sharedGauge, table.sharedEntries());
    set(hintGauge, table.hintEntries());
    set(overflowGauge, table.overflowEntries());
    set(overheadGauge, table.modelBytes());
  }

  static void set(Counter gauge, long value) {
    gauge.add(value - gauge.get());
  }
}
