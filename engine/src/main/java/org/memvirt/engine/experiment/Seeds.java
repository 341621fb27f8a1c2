package org.memvirt.engine.experiment;

/** Derives independent seeds from the run's seed (SplitMix64's finalizer), so runs are reproducible. */
public final class Seeds {
  private Seeds() {}

  public static long mix(long... parts) {
    long h = 0x9E3779B97F4A7C15L;
    for (long p : parts) {
      h = finalize(h ^ p) + 0x9E3779B97F4A7C15L;
    }
    return finalize(h);
  }

  public static long of(String name) {
    long h = 1125899906842597L;
    for (int i = 0; i < name.length(); i++) {
      h = 31 * h + name.charAt(i);
    }
    return h;
  }

  private static long finalize(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
