package org.memvirt.reclaim.balloon;

import java.util.Arrays;
import org.memvirt.api.Counter;
import org.memvirt.api.memory.HostMemory;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.GuestOs;
import org.memvirt.api.reclaim.VmMemory;

/**
 * One VM's balloon: the guest pages its driver has pinned (a stack, last in first out, as
 * both drivers' page lists), the host's target for it, and the two halves of moving one
 * page: the guest gives a page of its choosing and the host drops the frame behind it; on
 * deflation the page goes back to the guest's free lists, unbacked until touched.
 *
 * <p>Per VM it costs one bit per guest page (which pages are in the balloon) and four bytes
 * per ballooned page.
 */
final class Balloon {
  /** What became of one request for a page. */
  enum Pin { PINNED, GUEST_REFUSED, HOST_REFUSED }

  private final VmMemory vm;
  private final HostMemory host;
  private final int owner;
  private final long cap;
  /** A target set in the experiment ({@code balloon_to}), never deflated below. */
  private final long fixedTarget;
  private long target;
  /** Bumped whenever the target changes: virtio's config-change interrupt. */
  private long targetChanges;
  private int[] pages = new int[64];
  private int size;
  private final long[] inBalloon;
  private int[] refused = new int[16];
  private int refusedCount;
  /** The last wake-up wanted pages and got none: the host should not count on this balloon. */
  boolean stalled;

  private final Counter targetGauge;
  private final Counter actualGauge;
  final Counter inflated;
  final Counter deflated;
  private final Counter fromFree;
  private final Counter fromSwap;
  private final Counter guestRefused;
  private final Counter hostRefused;
  final Counter oomDeflated;
  final Counter touched;
  final Counter requests;

  Balloon(VmMemory vm, HostMemory host, int owner, double capFraction, long fixedTarget) {
    this.vm = vm;
    this.host = host;
    this.owner = owner;
    this.cap = (long) Math.floor(capFraction * vm.pages());
    this.fixedTarget = Math.min(fixedTarget, cap);
    this.inBalloon = new long[(int) ((vm.pages() + 63) >>> 6)];
    this.targetGauge = vm.metrics().counter(BalloonMetrics.TARGET);
    this.actualGauge = vm.metrics().counter(BalloonMetrics.ACTUAL);
    this.inflated = vm.metrics().counter(BalloonMetrics.INFLATED);
    this.deflated = vm.metrics().counter(BalloonMetrics.DEFLATED);
    this.fromFree = vm.metrics().counter(BalloonMetrics.FROM_FREE);
    this.fromSwap = vm.metrics().counter(BalloonMetrics.FROM_SWAP);
    this.guestRefused = vm.metrics().counter(BalloonMetrics.GUEST_REFUSED);
    this.hostRefused = vm.metrics().counter(BalloonMetrics.HOST_REFUSED);
    this.oomDeflated = vm.metrics().counter(BalloonMetrics.OOM_DEFLATED);
    this.touched = vm.metrics().counter(BalloonMetrics.TOUCHED);
    this.requests = vm.metrics().counter(BalloonMetrics.REQUESTS);
    setTarget(this.fixedTarget);
  }

  VmMemory vm() {
    return vm;
  }

  /** Pages in the balloon (virtio's {@code actual}). */
  long size() {
    return size;
  }

  /** The target size, within the cap (virtio's {@code num_pages}). */
  long target() {
    return target;
  }

  long cap() {
    return cap;
  }

  long fixedTarget() {
    return fixedTarget;
  }

  /** Sets the target, within [the experiment's fixed target, the cap]. */
  void setTarget(long pages) {
    long t = Math.max(fixedTarget, Math.min(cap, Math.max(0, pages)));
    if (t != target) {
      targetChanges++;
    }
    target = t;
    targetGauge.add(target - targetGauge.get());
  }

  /** How many times the target has changed. */
  long targetChanges() {
    return targetChanges;
  }

  /**
   * Asks the guest for a page ({@code mayReclaim}: it may swap one of its own out to find
   * one; else from its free pages only) and hands its frame to the host. A page the host
   * cannot take is set aside until {@link #returnRefused}.
   */
  Pin pin(boolean mayReclaim) {
    GuestOs guest = vm.guest();
    boolean hadFree = guest.freePages() > 0;
    long g = mayReclaim ? guest.pinPage() : guest.pinFreePage();
    if (g < 0) {
      guestRefused.increment();
      return Pin.GUEST_REFUSED;
    }
    if (!take(g)) {
      hostRefused.increment();
      if (refusedCount == refused.length) {
        refused = Arrays.copyOf(refused, refusedCount * 2);
      }
      refused[refusedCount++] = (int) g;
      return Pin.HOST_REFUSED;
    }
    if (size == pages.length) {
      pages = Arrays.copyOf(pages, size * 2);
    }
    pages[size++] = (int) g;
    inBalloon[(int) (g >>> 6)] |= 1L << g;
    actualGauge.increment();
    inflated.increment();
    (hadFree ? fromFree : fromSwap).increment();
    return Pin.PINNED;
  }

  /**
   * The host's half: the page, whatever holds it, becomes a ballooned entry of this
   * technique's and its frame (if it had one) is freed. False when it cannot: a fault on it
   * is under way, its holder keeps it, or the VM is at its reservation.
   */
  private boolean take(long g) {
    if (!vm.requestRelease(g, false)) {
      return false;
    }
    long e = vm.p2m().get(g);
    boolean backed = P2mEntry.readable(e);
    if (backed && vm.backedPages() <= vm.minPages()) {
      return false;
    }
    vm.p2m().set(g, P2mEntry.of(P2mEntry.BALLOONED, 0, owner));
    if (backed) {
      dropFrame(host, e);
    }
    return true;
  }

  /** The page that mapped {@code entry} no longer does: its private frame is freed, a shared one loses a sharer. */
  static void dropFrame(HostMemory host, long entry) {
    if (P2mEntry.state(entry) == P2mEntry.SHARED) {
      host.dropSharer(P2mEntry.value(entry));
    } else {
      host.free(P2mEntry.value(entry));
    }
  }

  /** Pages set aside this round go back to the guest (vmw_balloon's refused-pages list). */
  int returnRefused() {
    int n = refusedCount;
    for (int i = 0; i < n; i++) {
      vm.guest().unpinPage(refused[i]);
    }
    refusedCount = 0;
    return n;
  }

  /**
   * Gives the most recently ballooned page back to the guest's free lists; the host backs
   * it again on its first touch. False when the balloon is empty.
   */
  boolean unpin() {
    if (size == 0) {
      return false;
    }
    int g = pages[--size];
    inBalloon[g >>> 6] &= ~(1L << g);
    long e = vm.p2m().get(g);
    if (P2mEntry.owner(e) == owner) {
      vm.p2m().set(g, P2mEntry.of(P2mEntry.UNBACKED, 0, 0));
    }
    vm.guest().unpinPage(g);
    actualGauge.add(-1);
    deflated.increment();
    return true;
  }

  /** Whether {@code gppn} is in the balloon. */
  boolean contains(long gppn) {
    return gppn >= 0 && gppn < vm.pages() && (inBalloon[(int) (gppn >>> 6)] & (1L << gppn)) != 0;
  }

  /** Heap bytes this balloon holds now. */
  long heapBytes() {
    return 8L * inBalloon.length + 4L * pages.length + 4L * refused.length;
  }
}
