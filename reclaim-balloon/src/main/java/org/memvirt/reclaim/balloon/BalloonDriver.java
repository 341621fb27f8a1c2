package org.memvirt.reclaim.balloon;

/**
 * The driver inside one guest: woken by the technique, it moves its balloon toward the
 * target at the pace its real counterpart allows, and says when it wants to wake next.
 */
interface BalloonDriver {
  /** One wake-up at {@code nowNanos}; returns the time it wants to wake again (now: at the next tick). */
  long wake(long nowNanos);

  /** The driver for {@code balloon} that {@code settings} name. */
  static BalloonDriver of(BalloonSettings settings, Balloon balloon) {
    return settings.virtio()
        ? new VirtioDriver(balloon, settings.backoffNanos(), settings.requestsPerWake())
        : new VmwareDriver(balloon, settings.periodNanos());
  }
}
