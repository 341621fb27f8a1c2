package org.memvirt.engine.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Lazy per-page arrays read like arrays and allocate a chunk only when a value other than the initial one is written. */
class LazyArraysTest {
  @Test
  void longsReadZeroUntilWrittenAndAllocateOnlyWhatIsWritten() {
    LazyLongArray a = new LazyLongArray(2000);
    assertThat(a.length()).isEqualTo(2000);
    assertThat(a.get(1999)).isZero();
    a.set(5, 0);
    assertThat(a.chunkBytes()).as("writing the initial value allocates nothing").isZero();
    a.set(5, 7);
    a.set(511, 8);
    assertThat(a.chunkBytes()).isEqualTo(512 * 8);
    a.set(512, 9);
    a.set(1999, -1);
    // Chunks 0 and 1 whole, and the last cut to the length: 2000 - 1536 entries.
    assertThat(a.chunkBytes()).isEqualTo((512 + 512 + 464) * 8);
    assertThat(a.get(5)).isEqualTo(7);
    assertThat(a.get(511)).isEqualTo(8);
    assertThat(a.get(512)).isEqualTo(9);
    assertThat(a.get(1999)).isEqualTo(-1);
    assertThat(a.get(1024)).isZero();
    a.set(5, 0);
    assertThat(a.get(5)).isZero();
    assertThatThrownBy(() -> a.get(2000)).isInstanceOf(ArrayIndexOutOfBoundsException.class);
    assertThatThrownBy(() -> a.set(2000, 0)).isInstanceOf(ArrayIndexOutOfBoundsException.class);
    assertThatThrownBy(() -> a.get(-1)).isInstanceOf(ArrayIndexOutOfBoundsException.class);
  }

  @Test
  void intsStartAtTheirInitialValue() {
    LazyIntArray a = new LazyIntArray(1025, -1);
    assertThat(a.get(0)).isEqualTo(-1);
    assertThat(a.get(1024)).isEqualTo(-1);
    a.set(1024, -1);
    a.set(3, 4);
    assertThat(a.get(3)).isEqualTo(4);
    assertThat(a.get(4)).as("the rest of a new chunk is the initial value").isEqualTo(-1);
    assertThat(a.get(600)).isEqualTo(-1);
    assertThatThrownBy(() -> a.set(1025, 1)).isInstanceOf(ArrayIndexOutOfBoundsException.class);
  }

  @Test
  void theyBehaveAsPlainArraysUnderRandomWrites() {
    SplittableRandom r = new SplittableRandom(3);
    long[] plainLongs = new long[3000];
    int[] plainInts = new int[3000];
    java.util.Arrays.fill(plainInts, 5);
    LazyLongArray longs = new LazyLongArray(3000);
    LazyIntArray ints = new LazyIntArray(3000, 5);
    for (int step = 0; step < 20_000; step++) {
      int i = r.nextInt(3000);
      long v = r.nextInt(4) == 0 ? 0 : r.nextLong();
      plainLongs[i] = v;
      longs.set(i, v);
      plainInts[i] = (int) v;
      ints.set(i, (int) v);
      int j = r.nextInt(3000);
      assertThat(longs.get(j)).isEqualTo(plainLongs[j]);
      assertThat(ints.get(j)).isEqualTo(plainInts[j]);
    }
  }

  @Test
  void aCountVisitsOnlyTheChunksThatExist() {
    LazyLongArray a = new LazyLongArray(3000);
    a.set(10, 5);
    a.set(700, 5);
    a.set(701, 6);
    assertThat(a.count(0, 3000, v -> v == 5)).isEqualTo(2);
    assertThat(a.count(11, 701, v -> v == 5)).isEqualTo(1);
    assertThat(a.count(0, 3000, v -> v == 0)).isEqualTo(2997);
    assertThat(a.count(600, 600, v -> true)).isZero();
    assertThat(a.count(1024, 2999, v -> v == 0)).isEqualTo(1975);
  }
}
