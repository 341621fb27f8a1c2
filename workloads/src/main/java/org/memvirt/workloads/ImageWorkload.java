package org.memvirt.workloads;

import org.memvirt.api.AccessKind;
import org.memvirt.api.workload.AccessBatch;
import org.memvirt.api.workload.Workload;

/**
 * Memory that holds an image: a kernel, binaries and libraries, files in the page cache. The
 * process writes its pages once, each with the image's content for that page (a fraction of
 * them zeros), then only reads them, in order, round and round. Every process of the same
 * image writes the same content at the same page, in any VM: what content-based sharing
 * finds, and what the sharing side channel's victim holds.
 */
final class ImageWorkload implements Workload {
  private final String image;
  private final long base;
  private final long pages;
  private final double zero;
  private long position;

  ImageWorkload(String image, long base, long pages, double zero) {
    this.image = image;
    this.base = base;
    this.pages = pages;
    this.zero = zero;
  }

  /** The content the image has at virtual page {@code page}. */
  static long token(String image, double zero, long page) {
    double u = (ContentModel.hash(page, ContentModel.imageHash(image)) >>> 11) * 0x1.0p-53;
    return u < zero ? 0 : ContentModel.imageToken(image, page);
  }

  @Override
  public int next(AccessBatch batch) {
    for (int i = 0; i < batch.capacity(); i++, position++) {
      long address = base + (position % pages) * 4096;
      batch.addresses[i] = address;
      if (position < pages) {
        batch.kinds[i] = AccessKind.WRITE;
        batch.values[i] = token(image, zero, address >>> 12);
      } else {
        batch.kinds[i] = AccessKind.READ;
      }
    }
    return batch.capacity();
  }
}
