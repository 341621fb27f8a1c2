package org.memvirt.workloads;

import org.apache.commons.rng.UniformRandomProvider;
import org.memvirt.api.AccessKind;
import org.memvirt.api.memory.Pages;
import org.memvirt.api.workload.AccessBatch;
import org.memvirt.api.workload.Workload;

/**
 * The access stream of a synthetic workload: data accesses where its pattern says, each a
 * write with probability {@code writes}; with probability {@code fetches} an instruction
 * fetch from its code region instead.
 */
final class SyntheticWorkload implements Workload {
  private final AccessPattern pattern;
  private final UniformRandomProvider random;
  private final ContentModel content;
  private final long dataBase;
  private final long codeBase;
  private final long codeWords;
  private final double writes;
  private final double fetches;
  private long codePosition;

  SyntheticWorkload(AccessPattern pattern, UniformRandomProvider random, ContentModel content, long dataBase,
      long codeBase, long codeBytes, double writes, double fetches) {
    this.pattern = pattern;
    this.random = random;
    this.content = content;
    this.dataBase = dataBase;
    this.codeBase = codeBase;
    this.codeWords = codeBytes >>> 3;
    this.writes = writes;
    this.fetches = fetches;
  }

  @Override
  public int next(AccessBatch batch) {
    int n = batch.capacity();
    for (int i = 0; i < n; i++) {
      if (fetches > 0 && random.nextDouble() < fetches) {
        batch.addresses[i] = codeBase + (nextCodeWord() << 3);
        batch.kinds[i] = AccessKind.FETCH;
        continue;
      }
      long offset = pattern.next();
      if (offset == AccessPattern.DONE) {
        return i;
      }
      long address = dataBase + offset;
      batch.addresses[i] = address;
      if (writes > 0 && random.nextDouble() < writes) {
        batch.kinds[i] = AccessKind.WRITE;
        batch.values[i] = content.tokenFor(Pages.number(address));
      } else {
        batch.kinds[i] = AccessKind.READ;
      }
    }
    return n;
  }

  /** Instruction fetches run straight on, with a jump to a random place one time in 16. */
  private long nextCodeWord() {
    if ((random.nextInt() & 15) == 0) {
      codePosition = random.nextLong(codeWords);
    } else if (++codePosition == codeWords) {
      codePosition = 0;
    }
    return codePosition;
  }
}
