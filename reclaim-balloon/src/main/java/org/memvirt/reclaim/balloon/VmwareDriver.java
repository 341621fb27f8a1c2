package org.memvirt.reclaim.balloon;

/**
 * VMware's balloon driver as Linux's vmw_balloon was before 2018: once a period it reads
 * its target and inflates or deflates toward it at an adaptive rate.
 *
 * <ul>
 *   <li>Inflating, it first takes pages the guest has free, without making it reclaim, up
 *       to 16384 a cycle ({@code VMW_BALLOON_NOSLEEP_ALLOC_MAX}). When none is free it
 *       enters slow mode for 4 cycles ({@code VMW_BALLOON_SLOW_CYCLES}) and, unless it
 *       already took {@code rate_alloc} pages, goes on with allocations that may make the
 *       guest swap, at most {@code rate_alloc} a cycle. In slow mode every cycle is held to
 *       {@code rate_alloc}.
 *   <li>{@code rate_alloc} starts at 2048 ({@code VMW_BALLOON_RATE_ALLOC_MAX}); a cycle that
 *       took at least that many without an error raises it by 16 per {@code rate_alloc}
 *       taken ({@code VMW_BALLOON_RATE_ALLOC_INC}), up to 2048; a refused reclaiming
 *       allocation halves it, down to 512 ({@code VMW_BALLOON_RATE_ALLOC_MIN}).
 *   <li>Pages the host refuses are set aside and given back at the end of the cycle; after
 *       16 refusals ({@code VMW_BALLOON_MAX_REFUSED}) the cycle ends in error.
 *   <li>Deflating, at most {@code rate_free} pages a cycle. The real driver starts it at
 *       16384 ({@code VMW_BALLOON_RATE_FREE_MAX}) and halves it when the host refuses a page
 *       back; the host here never does, so it stays there.
 * </ul>
 *
 * Source: drivers/misc/vmw_balloon.c (Linux 3.x–4.17). The real loop stops one page after
 * reaching its rate; this one stops at the rate.
 */
final class VmwareDriver implements BalloonDriver {
  static final int NOSLEEP_ALLOC_MAX = 16384;
  static final int RATE_ALLOC_MIN = 512;
  static final int RATE_ALLOC_MAX = 2048;
  static final int RATE_ALLOC_INC = 16;
  static final int RATE_FREE = 16384;
  static final int SLOW_CYCLES = 4;
  static final int MAX_REFUSED = 16;

  private final Balloon balloon;
  private final long periodNanos;
  int rateAlloc = RATE_ALLOC_MAX;
  int slowCycles;

  VmwareDriver(Balloon balloon, long periodNanos) {
    this.balloon = balloon;
    this.periodNanos = periodNanos;
  }

  @Override
  public long wake(long nowNanos) {
    if (slowCycles > 0) {
      slowCycles--;
    }
    if (balloon.size() < balloon.target()) {
      inflate();
    } else if (balloon.size() > balloon.target()) {
      deflate();
    } else {
      balloon.stalled = false;
    }
    return nowNanos + periodNanos;
  }

  private void inflate() {
    long goal = balloon.target() - balloon.size();
    int rate = slowCycles > 0 ? rateAlloc : NOSLEEP_ALLOC_MAX;
    boolean mayReclaim = false;
    boolean error = false;
    long done = 0;
    int refusedNow = 0;
    while (done < goal) {
      Balloon.Pin r = balloon.pin(mayReclaim);
      if (r == Balloon.Pin.GUEST_REFUSED) {
        if (mayReclaim) {
          // Even reclaiming, the guest had nothing: it is under severe pressure.
          rateAlloc = Math.max(rateAlloc / 2, RATE_ALLOC_MIN);
          error = true;
          break;
        }
        slowCycles = SLOW_CYCLES;
        if (done >= rateAlloc) {
          break;
        }
        mayReclaim = true;
        rate = rateAlloc;
        continue;
      }
      if (r == Balloon.Pin.HOST_REFUSED) {
        if (++refusedNow > MAX_REFUSED) {
          error = true;
          break;
        }
        continue;
      }
      if (++done >= rate) {
        break;
      }
    }
    if (!error && done >= rateAlloc) {
      rateAlloc = (int) Math.min(rateAlloc + (done / rateAlloc) * RATE_ALLOC_INC, RATE_ALLOC_MAX);
    }
    balloon.returnRefused();
    balloon.stalled = done == 0;
  }

  private void deflate() {
    long goal = Math.min(balloon.size() - balloon.target(), RATE_FREE);
    for (long i = 0; i < goal; i++) {
      balloon.unpin();
    }
    balloon.stalled = false;
  }
}
