package org.memvirt.reclaim.balloon;

/**
 * Linux's virtio-balloon driver: the host writes its target ({@code num_pages}) and the
 * driver's worker fills or leaks the balloon by requests of at most 256 pages
 * ({@code VIRTIO_BALLOON_ARRAY_PFNS_MAX}), re-queuing itself until {@code actual} meets the
 * target. Its allocations may make the guest reclaim (light direct reclaim,
 * {@code __GFP_NORETRY}); when one fails ("Out of puff!") the worker sleeps 200 ms and
 * tries again. Source: drivers/virtio/virtio_balloon.c.
 *
 * <p>Here the worker runs at the technique's next tick after its target changed (the
 * config-change interrupt), and a back-off after a failure; no rate limits it beyond the
 * cost of each page. After a deflate-on-OOM it leaves the balloon smaller than its target
 * until the host sets a new one, as the real worker does.
 */
final class VirtioDriver implements BalloonDriver {
  static final int PAGES_PER_REQUEST = 256;

  private final Balloon balloon;
  private final long backoffNanos;
  /** The target change the worker last met, or -1 while it is still working. */
  private long met = -1;

  VirtioDriver(Balloon balloon, long backoffNanos) {
    this.balloon = balloon;
    this.backoffNanos = backoffNanos;
  }

  @Override
  public long wake(long nowNanos) {
    if (met == balloon.targetChanges()) {
      return nowNanos;
    }
    long pinned = 0;
    while (balloon.size() != balloon.target()) {
      long diff = balloon.target() - balloon.size();
      balloon.requests.increment();
      if (diff < 0) {
        for (long i = Math.min(-diff, PAGES_PER_REQUEST); i > 0; i--) {
          balloon.unpin();
        }
        continue;
      }
      long n = Math.min(diff, PAGES_PER_REQUEST);
      long got = 0;
      boolean outOfPuff = false;
      for (long i = 0; i < n; i++) {
        Balloon.Pin r = balloon.pin(true);
        if (r == Balloon.Pin.GUEST_REFUSED) {
          outOfPuff = true;
          break;
        }
        if (r == Balloon.Pin.PINNED) {
          got++;
        }
      }
      balloon.returnRefused();
      pinned += got;
      if (outOfPuff || got == 0) {
        balloon.stalled = pinned == 0;
        met = -1;
        return nowNanos + backoffNanos;
      }
    }
    balloon.stalled = false;
    met = balloon.targetChanges();
    return nowNanos;
  }
}
