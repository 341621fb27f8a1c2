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
 * config-change interrupt), and a back-off after a failure. Each request waits for the
 * host's acknowledgement ({@code tell_host}); with a {@code request_time}, a tick holds as
 * many requests as fit in it and the worker goes on at the next, so the balloon's size steps
 * toward its target; without one, nothing but the cost of each page limits it. After a deflate-on-OOM it leaves the balloon smaller than its target
 * until the host sets a new one, as the real worker does.
 */
final class VirtioDriver implements BalloonDriver {
  static final int PAGES_PER_REQUEST = 256;

  private final Balloon balloon;
  private final long backoffNanos;
  /** Requests the worker completes in one wake-up. */
  private final long requestsPerWake;
  /** The target change the worker last met, or -1 while it is still working. */
  private long met = -1;

  VirtioDriver(Balloon balloon, long backoffNanos, long requestsPerWake) {
    this.balloon = balloon;
    this.backoffNanos = backoffNanos;
    this.requestsPerWake = requestsPerWake;
  }

  @Override
  public long wake(long nowNanos) {
    if (met == balloon.targetChanges()) {
      return nowNanos;
    }
    long pinned = 0;
    for (long done = 0; balloon.size() != balloon.target(); done++) {
      if (done == requestsPerWake) {
        return nowNanos; // the rest of the work goes on at the next tick
      }
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
