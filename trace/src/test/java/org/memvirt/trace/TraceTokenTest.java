package org.memvirt.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.memvirt.api.memory.Content;

/** A trace write's token: the page and write number mixed, marked as not compressing, never zero. */
class TraceTokenTest {
  private static long mix(long page, long write) {
    long z = page * 0x9E3779B97F4A7C15L + write;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Test
  void itIsTheMixMarkedIncompressible() {
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 100_000; i++) {
      long page = r.nextLong(1L << 35);
      long write = r.nextLong(1L << 40);
      long token = TraceWorkload.token(page, write);
      assertThat(token).isEqualTo(Content.withCompressedSize(mix(page, write), 1));
      assertThat(Content.compressedSixteenths(token)).isEqualTo(16);
    }
  }

  @Test
  void aMixOfZeroIsStillNotTheZeroPage() {
    // The finalizer maps 0 to 0: page 0's write 0 mixes to 0, and must not read as a zero page.
    assertThat(mix(0, 0)).isZero();
    assertThat(TraceWorkload.token(0, 0)).isEqualTo(1).isEqualTo(Content.withCompressedSize(0, 1));
  }
}
