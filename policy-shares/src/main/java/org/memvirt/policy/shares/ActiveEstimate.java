package org.memvirt.policy.shares;

/**
 * ESX's smoothing of sampled activity (Waldspurger OSDI'02, section 5.3): a slow and a fast
 * exponentially weighted moving average of each period's touched fraction, and a fast one
 * that already counts the touches of the period under way; the estimate is their maximum,
 * so it rises within a period of a step up and falls only as fast as the slow average.
 * ESX does not publish its gains. The defaults here: the fast gain 1/2 follows a step
 * halfway in one period (and with the period under way, sooner); the slow gain 1/8 forgets
 * with a time constant of 8 periods (4 minutes at 30 s), so a VM idle for a minute keeps
 * most of its estimate, and one idle for 10 minutes has lost 95% of it.
 */
final class ActiveEstimate {
  private final double fastGain;
  private final double slowGain;
  private double fast = -1;
  private double slow = -1;

  ActiveEstimate(double fastGain, double slowGain) {
    this.fastGain = fastGain;
    this.slowGain = slowGain;
  }

  /** A complete period's touched fraction. */
  void add(double f) {
    fast = fast < 0 ? f : fast + fastGain * (f - fast);
    slow = slow < 0 ? f : slow + slowGain * (f - slow);
  }

  boolean known() {
    return fast >= 0;
  }

  double fast() {
    return fast;
  }

  double slow() {
    return slow;
  }

  /**
   * The fast average with the period under way counted in: its touches so far are a lower
   * bound of the period's, so they can only raise the average (a quick response to more
   * activity), never lower it before the period ends.
   */
  double fastNow(double soFar) {
    return fast < 0 ? soFar : fast + fastGain * Math.max(0, soFar - fast);
  }

  /** max(slow, fast, fast with the current period): the active fraction. */
  double estimate(double soFar) {
    return Math.max(Math.max(slow, fast), fastNow(soFar));
  }
}
