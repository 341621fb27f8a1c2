package org.memvirt.workloads;

import org.memvirt.api.AccessKind;
import org.memvirt.api.Clock;
import org.memvirt.api.Metrics;
import org.memvirt.api.workload.AccessBatch;
import org.memvirt.api.workload.Workload;

/**
 * The side channel's attacker. It writes its guesses, each on a page of its own: half are
 * pages of the image a victim may hold (present), half contents nobody holds (absent).
 * Beside them it writes calibration pages: pairs of identical pages of its own (the host
 * will share each pair) and unique pages (never shared). It waits for the scanner, then
 * writes each page once more, one access per batch, timing each write on its own clock: a
 * write to a shared page faults and copies (slow), a write to a private page does not. The
 * line between the two is the midpoint of its calibrated slow and fast writes; a guess
 * written slowly was present in another VM. It reports its score and finishes.
 */
final class DedupAttacker implements Workload {
  private enum Phase { WRITE, WAIT, PROBE, DONE }

  private final long base;
  private final long wait;
  private final Clock clock;
  private final Metrics metrics;
  /** Per probe page (page i at base + (i + 1) pages; page 0 is the one it spins on): token and role. */
  private final long[] tokens;
  private final boolean[] present;
  private final int guesses;
  private final int calibration;
  private final long[] latency;
  private final long seed;
  private Phase phase = Phase.WRITE;
  private int cursor;
  private long deadline = -1;
  private long lastClock;
  private long unique;

  DedupAttacker(String image, double zero, int pages, long victimBase, int guesses, int calibration, long wait, long seed,
      Clock clock, Metrics metrics) {
    this.base = victimBase + (((long) pages + 16) << 12);
    this.wait = wait;
    this.clock = clock;
    this.metrics = metrics;
    this.guesses = guesses;
    this.calibration = calibration;
    this.seed = seed;
    int n = guesses + 3 * calibration;
    tokens = new long[n];
    present = new boolean[n];
    latency = new long[n];
    // Present guesses are distinct pages of the image (a partial shuffle); absent ones are
    // pages of an image nobody runs.
    int[] order = new int[pages];
    for (int i = 0; i < pages; i++) {
      order[i] = i;
    }
    int taken = 0;
    for (int g = 0; g < guesses; g++) {
      long token = 0;
      // A page of the image, not guessed before and not a zero page (zeros tell nothing).
      while ((ContentModel.hash(seed, g) & 1) == 0 && token == 0 && taken < pages) {
        int j = taken + (int) Long.remainderUnsigned(ContentModel.hash(seed ^ 0x5eed, g * 31L + taken), pages - taken);
        int page = order[j];
        order[j] = order[taken];
        order[taken++] = page;
        token = ImageWorkload.token(image, zero, (victimBase >>> 12) + page);
      }
      present[g] = token != 0;
      tokens[g] = token != 0 ? token : ContentModel.imageToken(image + "#not-held", g);
    }
    for (int c = 0; c < calibration; c++) {
      long pair = uniqueToken();
      tokens[guesses + 2 * c] = pair;
      tokens[guesses + 2 * c + 1] = pair;
      tokens[guesses + 2 * calibration + c] = uniqueToken();
    }
  }

  private long uniqueToken() {
    long t = ContentModel.hash(seed ^ 0xa77ac4L, ++unique);
    return org.memvirt.api.memory.Content.withCompressedSize(t == 0 ? 1 : t, 1);
  }

  private long address(int probe) {
    return base + ((long) probe + 1 << 12);
  }

  @Override
  public int next(AccessBatch batch) {
    switch (phase) {
      case WRITE -> {
        int i = 0;
        for (; i < batch.capacity() && cursor < tokens.length; i++, cursor++) {
          write(batch, i, address(cursor), tokens[cursor]);
        }
        if (cursor == tokens.length) {
          phase = Phase.WAIT;
          cursor = 0;
        }
        return i;
      }
      case WAIT -> {
        long now = clock.nanos();
        if (deadline < 0) {
          deadline = now + wait;
        }
        if (now < deadline) {
          for (int i = 0; i < batch.capacity(); i++) {
            batch.addresses[i] = base;
            batch.kinds[i] = AccessKind.READ;
          }
          return batch.capacity();
        }
        phase = Phase.PROBE;
        lastClock = now;
        write(batch, 0, address(0), uniqueToken());
        return 1;
      }
      case PROBE -> {
        long now = clock.nanos();
        latency[cursor++] = now - lastClock;
        lastClock = now;
        if (cursor < tokens.length) {
          write(batch, 0, address(cursor), uniqueToken());
          return 1;
        }
        score();
        phase = Phase.DONE;
        return 0;
      }
      default -> {
        return 0;
      }
    }
  }

  private static void write(AccessBatch batch, int i, long address, long token) {
    batch.addresses[i] = address;
    batch.kinds[i] = AccessKind.WRITE;
    batch.values[i] = token;
  }

  /** Classifies every guess by its write latency against the calibrated line, and reports the score. */
  private void score() {
    double slow = 0;
    double fast = 0;
    for (int c = 0; c < calibration; c++) {
      slow += latency[guesses + 2 * c];
      fast += latency[guesses + 2 * calibration + c];
    }
    double line = (slow + fast) / (2.0 * calibration);
    long correct = 0;
    long saidPresent = 0;
    long wasPresent = 0;
    for (int g = 0; g < guesses; g++) {
      boolean said = latency[g] > line;
      saidPresent += said ? 1 : 0;
      wasPresent += present[g] ? 1 : 0;
      correct += said == present[g] ? 1 : 0;
    }
    metrics.counter(DedupProbeFactory.GUESSES).add(guesses);
    metrics.counter(DedupProbeFactory.CORRECT).add(correct);
    metrics.counter(DedupProbeFactory.SAID_PRESENT).add(saidPresent);
    metrics.counter(DedupProbeFactory.PRESENT).add(wasPresent);
    metrics.counter(DedupProbeFactory.THRESHOLD).add(Math.round(line));
  }
}
