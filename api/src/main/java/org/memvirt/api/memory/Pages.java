package org.memvirt.api.memory;

/** Page geometry shared by every address space: 4 KiB base pages, 2 MiB large pages. */
public final class Pages {
  private Pages() {}

  public static final int SHIFT = 12;
  public static final long SIZE = 1L << SHIFT;
  public static final long OFFSET_MASK = SIZE - 1;
  public static final int LARGE_SHIFT = 21;
  public static final long LARGE_SIZE = 1L << LARGE_SHIFT;

  /** Page number of an address. */
  public static long number(long address) {
    return address >>> SHIFT;
  }

  /** First address of a page. */
  public static long address(long pageNumber) {
    return pageNumber << SHIFT;
  }

  /** Whole pages needed for {@code bytes}, rounded up. */
  public static long count(long bytes) {
    return (bytes + SIZE - 1) >>> SHIFT;
  }
}
