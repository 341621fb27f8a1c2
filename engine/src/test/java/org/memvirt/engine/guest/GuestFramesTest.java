package org.memvirt.engine.guest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The guest's frame allocator: the lowest frame never used first, a frame given back before
 * any other, the 2 MiB pool at the top of memory kept apart, and every count right while the
 * free list holds only frames given back.
 */
class GuestFramesTest {
  /** Counts with {@code test}, frame by frame and range by range alike. */
  private static long countFree(GuestFrames g, java.util.function.LongPredicate test) {
    return g.countFree(test, (from, to) -> java.util.stream.LongStream.range(from, to).filter(test).count());
  }

  @Test
  void rangesOfFramesNeverUsedAreCountedWhole() {
    GuestFrames g = new GuestFrames(2000, 1);
    g.take();
    g.take();
    g.release(0);
    java.util.List<long[]> ranges = new java.util.ArrayList<>();
    long n = g.countFree(f -> f == 0, (from, to) -> {
      ranges.add(new long[] {from, to});
      return to - from;
    });
    // Frame 0 given back, then 2..1023 and 1536..1999 never used: the pool (1024..1535) apart.
    assertThat(ranges).containsExactly(new long[] {2, 1024}, new long[] {1536, 2000});
    assertThat(n).isEqualTo(1 + 1022 + 464);
  }

  @Test
  void framesComeLowestFirstAndFreedOnesFirstOfAll() {
    GuestFrames g = new GuestFrames(8, 0);
    assertThat(g.free()).isEqualTo(8);
    assertThat(g.take()).isZero();
    assertThat(g.take()).isEqualTo(1);
    assertThat(g.take()).isEqualTo(2);
    g.release(1);
    g.release(0);
    assertThat(g.free()).isEqualTo(7);
    assertThat(g.take()).isZero();
    assertThat(g.take()).isEqualTo(1);
    assertThat(g.take()).isEqualTo(3);
    assertThat(countFree(g, f -> f >= 4)).isEqualTo(4);
    assertThat(countFree(g, f -> true)).isEqualTo(g.free()).isEqualTo(4);
  }

  @Test
  void theHugePoolAtTheTopIsSkippedAndNotCountedAsFree() {
    // 1,100 frames: two 2 MiB blocks of the pool at 0..1023 would leave none below; one block
    // sits at 512..1023, with 0..511 below it and 1,024..1,099 above.
    GuestFrames g = new GuestFrames(1100, 1);
    assertThat(g.hugeFree()).isEqualTo(1);
    assertThat(g.free()).isEqualTo(1100 - 512);
    assertThat(g.user(600)).isEqualTo(GuestFrames.HUGE_FREE);
    assertThat(g.user(5)).isEqualTo(GuestFrames.FREE);
    for (int i = 0; i < 512; i++) {
      assertThat(g.take()).isEqualTo(i);
    }
    assertThat(g.take()).as("past the pool").isEqualTo(1024);
    assertThat(g.free()).isEqualTo(1100 - 512 - 513);
    assertThat(countFree(g, f -> true)).isEqualTo(g.free() + 512);
    assertThat(g.takeHugeBlock()).isEqualTo(512);
    assertThat(countFree(g, f -> true)).isEqualTo(g.free());
    while (g.free() > 0) {
      assertThat(g.take()).isBetween(1025, 1099);
    }
    g.returnHugeBlock(512);
    assertThat(g.hugeFree()).isEqualTo(1);
    g.release(7);
    assertThat(g.take()).isEqualTo(7);
  }

  @Test
  void aPoolFillingTheBottomLeavesOnlyWhatIsAbove() {
    GuestFrames g = new GuestFrames(1030, 2);
    assertThat(g.free()).isEqualTo(6);
    assertThat(g.take()).isEqualTo(1024);
    assertThat(g.free()).isEqualTo(5);
  }
}
