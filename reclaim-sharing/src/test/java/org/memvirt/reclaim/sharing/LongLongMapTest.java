package org.memvirt.reclaim.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The share table's primitive map against java.util.HashMap: the same answers for any sequence of operations. */
class LongLongMapTest {
  @Test
  void behavesLikeAHashMapUnderRandomOperations() {
    for (int seed = 1; seed <= 20; seed++) {
      Random r = new Random(seed);
      LongLongMap map = new LongLongMap(r.nextInt(4) + 1);
      Map<Long, Long> model = new HashMap<>();
      // Few distinct keys, 0 and negatives among them, so that probe runs collide and wrap.
      long span = 8 + r.nextInt(200);
      for (int op = 0; op < 5000; op++) {
        long key = r.nextInt((int) span) - span / 4;
        switch (r.nextInt(10)) {
          case 0, 1, 2, 3 -> {
            long v = r.nextLong();
            map.put(key, v);
            model.put(key, v);
          }
          case 4, 5 -> assertThat(map.remove(key)).isEqualTo(model.containsKey(key) ? model.remove(key)
              : LongLongMap.MISSING);
          case 6 -> assertThat(map.contains(key)).isEqualTo(model.containsKey(key));
          case 7 -> {
            if (r.nextInt(50) == 0) {
              map.clear();
              model.clear();
            }
          }
          default -> assertThat(map.get(key)).isEqualTo(model.getOrDefault(key, LongLongMap.MISSING));
        }
        assertThat(map.size()).isEqualTo(model.size());
      }
      for (Map.Entry<Long, Long> e : model.entrySet()) {
        assertThat(map.get(e.getKey())).isEqualTo(e.getValue());
      }
    }
  }

  /** Keys whose hashes share a slot, removed from the middle of their run: the later ones stay reachable. */
  @Test
  void removingFromTheMiddleOfAProbeRunKeepsTheRestReachable() {
    LongLongMap map = new LongLongMap(8);
    long[] keys = new long[200];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = (long) i << 40;
      map.put(keys[i], i);
    }
    for (int i = 0; i < keys.length; i += 3) {
      assertThat(map.remove(keys[i])).isEqualTo(i);
      assertThat(map.remove(keys[i])).isEqualTo(LongLongMap.MISSING);
    }
    for (int i = 0; i < keys.length; i++) {
      assertThat(map.get(keys[i])).isEqualTo(i % 3 == 0 ? LongLongMap.MISSING : i);
      assertThat(map.contains(keys[i])).isEqualTo(i % 3 != 0);
    }
    assertThat(map.size()).isEqualTo(200 - 67);
    map.put(0, 5);
    assertThat(map.contains(0)).isTrue();
    assertThat(map.get(0)).isEqualTo(5);
    assertThat(map.size()).isEqualTo(200 - 67 + 1);
    assertThat(map.remove(0)).isEqualTo(5);
    assertThat(map.remove(0)).isEqualTo(LongLongMap.MISSING);
    assertThat(map.contains(0)).isFalse();
  }
}
