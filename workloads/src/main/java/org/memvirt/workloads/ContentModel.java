package org.memvirt.workloads;

import org.memvirt.api.Settings;
import org.memvirt.api.memory.Content;

/**
 * What a workload's writes store, decided per page so a page keeps its character: a
 * fraction {@code zero} of pages is written with zeros, a fraction {@code shared} with
 * content that every process running the same {@code image} writes at the same page
 * (code, libraries, identical data: what content-based sharing finds), and the rest with
 * content unique to this process and write. Non-zero content compresses to {@code compressed}
 * of a page (1: not at all), as {@link Content} records in the token.
 */
final class ContentModel {
  private final double zero;
  private final double shared;
  private final long image;
  private final double compressed;
  private final long seed;
  private long writes;

  ContentModel(Settings content, long seed) {
    this.zero = content.fraction("zero", 0);
    this.shared = content.fraction("shared", 0);
    if (zero + shared > 1) {
      throw content.invalid("shared", "zero + shared at most 1");
    }
    this.image = imageHash(content.string("image", "base"));
    // Incompressible by default: random data, as most of a process's private pages behave.
    this.compressed = content.fraction("compressed", 1);
    this.seed = seed;
  }

  /** The token a write to page {@code page} stores now. */
  long tokenFor(long page) {
    double u = (hash(page, 0xc0ffee) >>> 11) * 0x1.0p-53;
    if (u < zero) {
      return 0;
    }
    if (u < zero + shared) {
      return nonZero(hash(image, page));
    }
    return nonZero(hash(seed ^ hash(page, 7), ++writes));
  }

  /** The hash that names an image's content. */
  static long imageHash(String image) {
    return hash(image.hashCode(), 0x1ace);
  }

  /**
   * The token every process running {@code image} (uncompressible, {@code compressed: 1})
   * writes at virtual page {@code page}: what another VM can guess from the image alone.
   */
  static long imageToken(String image, long page) {
    long h = hash(imageHash(image), page);
    return Content.withCompressedSize(h == 0 ? 1 : h, 1);
  }

  private long nonZero(long h) {
    return Content.withCompressedSize(h == 0 ? 1 : h, compressed);
  }

  /** A 64-bit mix of two values (SplitMix64's finalizer over their combination). */
  static long hash(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
