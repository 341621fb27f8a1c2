package org.memvirt.workloads;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.DiscreteSampler;
import org.apache.commons.rng.sampling.distribution.RejectionInversionZipfSampler;
import org.memvirt.api.Settings;
import org.memvirt.api.memory.Pages;

/**
 * Pages drawn from a Zipf distribution (rank r with probability ∝ 1/r^skew; default skew
 * 0.99, YCSB's zipfian constant), a random word within the page. Ranks are scattered over
 * the footprint by a fixed permutation, so the hot pages are not all adjacent.
 */
final class ZipfPattern implements AccessPattern {
  private final UniformRandomProvider random;
  private final DiscreteSampler sampler;
  private final long pages;
  private final long stride;
  private final long offset;

  ZipfPattern(Settings settings, UniformRandomProvider random, long footprintBytes) {
    double skew = settings.number("skew", 0.99);
    if (skew <= 0) {
      throw settings.invalid("skew", "a positive exponent, e.g. 0.99");
    }
    this.random = random;
    this.pages = Math.max(1, footprintBytes >>> Pages.SHIFT);
    if (pages > Integer.MAX_VALUE) {
      throw settings.invalid("footprint", "at most " + Integer.MAX_VALUE + " pages");
    }
    this.sampler = RejectionInversionZipfSampler.of(random, (int) pages, skew);
    this.stride = coprimeStride(pages, random);
    this.offset = random.nextLong(pages);
  }

  private static long coprimeStride(long n, UniformRandomProvider random) {
    if (n == 1) {
      return 1;
    }
    long s = (random.nextLong(n) | 1) % n;
    while (s == 0 || gcd(s, n) != 1) {
      s = (s + 1) % n;
    }
    return s;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  @Override
  public long next() {
    long rank = sampler.sample() - 1;
    // rank and stride are below 2^31, so the product cannot overflow.
    long page = (rank * stride + offset) % pages;
    return (page << Pages.SHIFT) | (random.nextInt(512) << 3);
  }
}
