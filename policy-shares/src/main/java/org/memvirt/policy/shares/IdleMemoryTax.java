package org.memvirt.policy.shares;

/**
 * ESX's shares with an idle memory tax (Waldspurger OSDI'02, section 5.2): memory is taken
 * first from the VM with the lowest adjusted shares-per-page ratio
 * ρ = S / (P · (f + k·(1 − f))), k = 1/(1 − τ), where S is its shares, P its pages, f the
 * fraction of them active and τ the tax rate. An idle page costs k times an active one;
 * τ = 0 is pure proportional share.
 */
final class IdleMemoryTax {
  private final double k;

  /** A tax rate τ from 0 (none) to below 1. */
  IdleMemoryTax(double tax) {
    if (tax < 0 || tax >= 1) {
      throw new IllegalArgumentException("tax " + tax + " outside [0, 1)");
    }
    this.k = 1 / (1 - tax);
  }

  /** ρ of a VM with {@code shares}, {@code pages} and an active fraction {@code f} of them. */
  double rho(double shares, double pages, double f) {
    return shares / (pages * (f + k * (1 - f)));
  }

  /**
   * The pages at which a VM with {@code shares} and {@code active} active pages has ratio
   * {@code rho}: ρ = S / (A + k·(P − A)) solved for P while P ≥ A (idle pages cost k), and
   * S / P below (every page active).
   */
  double pagesAt(double rho, double shares, double active) {
    double whole = shares / rho;
    return whole <= active ? whole : active + (whole - active) / k;
  }

  /**
   * Targets for VMs that together may have {@code available} pages: every VM at the same ρ
   * (taking a page from the lowest ρ first converges there), within its {@code min} and
   * {@code max}. When their limits fit, every VM gets its max.
   */
  long[] targets(long available, double[] shares, double[] active, long[] min, long[] max) {
    int n = shares.length;
    long[] t = new long[n];
    long sumMax = 0;
    long sumMin = 0;
    for (int i = 0; i < n; i++) {
      sumMax += max[i];
      sumMin += min[i];
    }
    if (sumMax <= available) {
      System.arraycopy(max, 0, t, 0, n);
      return t;
    }
    if (sumMin >= available) {
      System.arraycopy(min, 0, t, 0, n);
      return t;
    }
    // Bisection on log ρ: the total falls as ρ rises. 200 halvings pin it to the last page.
    double lo = -60;
    double hi = 60;
    for (int step = 0; step < 200; step++) {
      double mid = (lo + hi) / 2;
      if (total(Math.exp(mid), shares, active, min, max) > available) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double rho = Math.exp(hi);
    for (int i = 0; i < n; i++) {
      t[i] = clamp((long) Math.floor(pagesAt(rho, shares[i], active[i])), min[i], max[i]);
    }
    return t;
  }

  private double total(double rho, double[] shares, double[] active, long[] min, long[] max) {
    double sum = 0;
    for (int i = 0; i < shares.length; i++) {
      sum += Math.min(max[i], Math.max(min[i], pagesAt(rho, shares[i], active[i])));
    }
    return sum;
  }

  static long clamp(long v, long min, long max) {
    return Math.max(min, Math.min(max, v));
  }
}
