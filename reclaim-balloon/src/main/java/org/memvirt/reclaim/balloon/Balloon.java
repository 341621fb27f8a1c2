package org.memvirt.reclaim.balloon;

import java.util.BitSet;
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
 * per ballooned page (up to eight while the stack has room to spare).
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
  private final IntStack pages = new IntStack();
  private final BitSet inBalloon;
  /** Pages pinned this round that the host could not take, given back at its end. */
  private final IntStack refused = new IntStack();
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
  /** What the guest's MemTotal shows, in pages. */
  private final Counter memTotal;
  /** Whether ballooned pages leave the guest's managed memory (and so its MemTotal). */
  private final boolean leavesTotal;

  /**
   * {@code fixedTarget} must be within {@code cap}, pages. {@code leavesTotal}: the driver
   * takes ballooned pages off the guest's managed memory, as virtio-balloon does unless
   * DEFLATE_ON_OOM was negotiated ({@code adjust_managed_page_count}, virtio_balloon.c).
   */
  Balloon(VmMemory vm, HostMemory host, int owner, long cap, long fixedTarget, boolean leavesTotal) {
    this.vm = vm;
    this.host = host;
    this.owner = owner;
    this.cap = cap;
    this.fixedTarget = fixedTarget;
    this.inBalloon = new BitSet(Math.toIntExact(vm.pages()));
    this.targetGauge = vm.metrics().counter(BalloonMetrics.TARGET.name());
    this.actualGauge = vm.metrics().counter(BalloonMetrics.ACTUAL.name());
    this.inflated = vm.metrics().counter(BalloonMetrics.INFLATED.name());
    this.deflated = vm.metrics().counter(BalloonMetrics.DEFLATED.name());
    this.fromFree = vm.metrics().counter(BalloonMetrics.FROM_FREE.name());
    this.fromSwap = vm.metrics().counter(BalloonMetrics.FROM_SWAP.name());
    this.guestRefused = vm.metrics().counter(BalloonMetrics.GUEST_REFUSED.name());
    this.hostRefused = vm.metrics().counter(BalloonMetrics.HOST_REFUSED.name());
    this.oomDeflated = vm.metrics().counter(BalloonMetrics.OOM_DEFLATED.name());
    this.touched = vm.metrics().counter(BalloonMetrics.TOUCHED.name());
    this.requests = vm.metrics().counter(BalloonMetrics.REQUESTS.name());
    this.memTotal = vm.metrics().counter(BalloonMetrics.GUEST_MEM_TOTAL.name());
    this.leavesTotal = leavesTotal;
    memTotal.set(vm.pages());
    setTarget(this.fixedTarget);
  }

  VmMemory vm() {
    return vm;
  }

  /** Pages in the balloon (virtio's {@code actual}). */
  long size() {
    return pages.size();
  }

  /** The target size, within the cap (virtio's {@code num_pages}). */
  long target() {
    return target;
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
    if (takeBacking(vm, host, g, P2mEntry.of(P2mEntry.BALLOONED, 0, owner)) < 0) {
      hostRefused.increment();
      refused.push((int) g);
      return Pin.HOST_REFUSED;
    }
    pages.push((int) g);
    inBalloon.set((int) g);
    actualGauge.increment();
    if (leavesTotal) {
      memTotal.add(-1);
    }
    inflated.increment();
    (hadFree ? fromFree : fromSwap).increment();
    return Pin.PINNED;
  }

  /**
   * The host's half of giving up guest page {@code g}: whatever holds it is asked for it,
   * its entry becomes {@code entry} and the frame behind it (if any) is freed, a shared one
   * losing a sharer. Returns the frames freed (0 or 1), or -1 when the page cannot be had: a
   * fault on it is under way, its holder keeps it, or it is backed and the VM is at its
   * reservation.
   */
  static int takeBacking(VmMemory vm, HostMemory host, long g, long entry) {
    if (!vm.requestRelease(g, false)) {
      return -1;
    }
    long e = vm.p2m().get(g);
    boolean backed = P2mEntry.readable(e);
    if (backed && vm.backedPages() <= vm.minPages()) {
      return -1;
    }
    vm.p2m().set(g, entry);
    if (!backed) {
      return 0;
    }
    if (P2mEntry.state(e) == P2mEntry.SHARED) {
      host.dropSharer(P2mEntry.value(e));
    } else {
      host.free(P2mEntry.value(e));
    }
    return 1;
  }

  /** Pages set aside this round go back to the guest (vmw_balloon's refused-pages list). */
  void returnRefused() {
    for (int i = 0; i < refused.size(); i++) {
      vm.guest().unpinPage(refused.get(i));
    }
    refused.clear();
  }

  /**
   * Gives the most recently ballooned page back to the guest's free lists; the host backs
   * it again on its first touch. False when the balloon is empty.
   */
  boolean unpin() {
    if (pages.size() == 0) {
      return false;
    }
    int g = pages.pop();
    inBalloon.clear(g);
    long e = vm.p2m().get(g);
    if (P2mEntry.owner(e) == owner) {
      vm.p2m().set(g, P2mEntry.of(P2mEntry.UNBACKED, 0, 0));
    }
    vm.guest().unpinPage(g);
    actualGauge.add(-1);
    if (leavesTotal) {
      memTotal.increment();
    }
    deflated.increment();
    return true;
  }

  /** Whether {@code gppn} is in the balloon. */
  boolean contains(long gppn) {
    return gppn >= 0 && gppn < vm.pages() && inBalloon.get((int) gppn);
  }
}
