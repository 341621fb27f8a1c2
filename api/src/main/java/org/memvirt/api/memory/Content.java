package org.memvirt.api.memory;

/**
 * Content tokens: what a page holds, as one {@code long} (0 is the all-zero page). Equal
 * tokens are equal pages (what sharing finds). The top four bits say how well the page
 * compresses (what a compression cache needs): 0 that it does not, or nothing is known; k
 * from 1 to 15 that it compresses to k/16 of a page. A workload sets them
 * ({@link #withCompressedSize}); a token without them compresses to a whole page.
 */
public final class Content {
  private Content() {}

  private static final int SHIFT = 60;
  private static final long CLASS = 0xFL << SHIFT;

  /** Sixteenths of a page that {@code token} compresses to: 0 for the zero page, 16 when it does not compress. */
  public static int compressedSixteenths(long token) {
    if (token == 0) {
      return 0;
    }
    int k = (int) (token >>> SHIFT);
    return k == 0 ? 16 : k;
  }

  /**
   * {@code token} marked to compress to {@code fraction} of a page (rounded to sixteenths;
   * 1 or more: does not compress). Never returns 0 for a non-zero token.
   */
  public static long withCompressedSize(long token, double fraction) {
    int k = (int) Math.round(Math.max(1.0 / 16, fraction) * 16);
    long marked = (token & ~CLASS) | (k >= 16 ? 0 : (long) k << SHIFT);
    return marked == 0 ? 1 : marked;
  }
}
