package org.memvirt.workloads;

import org.memvirt.api.AccessKind;
import org.memvirt.api.workload.AccessBatch;
import org.memvirt.api.workload.Workload;

/**
 * The side channel's victim: writes {@code pages} pages of an image once (a library, a key
 * file), then only reads them, round and round, so they stay as written and can be shared.
 */
final class SecretHolder implements Workload {
  private final String image;
  private final long base;
  private final int pages;
  private long position;

  SecretHolder(String image, long base, int pages) {
    this.image = image;
    this.base = base;
    this.pages = pages;
  }

  @Override
  public int next(AccessBatch batch) {
    for (int i = 0; i < batch.capacity(); i++, position++) {
      long page = position % pages;
      long address = base + page * 4096;
      batch.addresses[i] = address;
      if (position < pages) {
        batch.kinds[i] = AccessKind.WRITE;
        batch.values[i] = ContentModel.imageToken(image, address >>> 12);
      } else {
        batch.kinds[i] = AccessKind.READ;
      }
    }
    return batch.capacity();
  }
}
