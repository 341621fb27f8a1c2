package org.memvirt.engine.hardware;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.memvirt.api.Counter;
import org.memvirt.api.mmu.WalkCache;

class LruWalkCacheTest {
  @Test
  void evictsTheLeastRecentlyUsedEntryOfALevel() {
    LruWalkCache c = new LruWalkCache(2, 2, new Counter("hits"));
    c.fill(1, 10, 100);
    c.fill(1, 20, 200);
    assertThat(c.lookup(1, 10)).isEqualTo(100); // 20 is now the LRU
    c.fill(1, 30, 300);
    assertThat(c.lookup(1, 20)).isEqualTo(WalkCache.MISS);
    assertThat(c.lookup(1, 10)).isEqualTo(100);
    assertThat(c.lookup(1, 30)).isEqualTo(300);
    assertThat(c.lookup(2, 10)).isEqualTo(WalkCache.MISS); // levels are separate
    c.flush();
    assertThat(c.lookup(1, 10)).isEqualTo(WalkCache.MISS);
  }

  @Test
  void offMeansEveryLookupMisses() {
    LruWalkCache c = new LruWalkCache(1, 0, new Counter("hits"));
    c.fill(1, 1, 1);
    assertThat(c.lookup(1, 1)).isEqualTo(WalkCache.MISS);
  }

  /** Against a reference LRU (an access-ordered LinkedHashMap) on random keys that collide in the index. */
  @Test
  void behavesAsAReferenceLru() {
    int entries = 32;
    Counter hits = new Counter("hits");
    LruWalkCache c = new LruWalkCache(0, entries, hits);
    Map<Long, Long> ref = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, Long> e) {
        return size() > entries;
      }
    };
    SplittableRandom r = new SplittableRandom(1);
    long refHits = 0;
    for (int i = 0; i < 200_000; i++) {
      long key = r.nextInt(80) * 1024L; // few distinct keys, many index collisions
      Long expected = ref.get(key);
      long got = c.lookup(0, key);
      assertThat(got).isEqualTo(expected == null ? WalkCache.MISS : expected);
      if (expected == null) {
        long v = r.nextLong(1000);
        ref.put(key, v);
        c.fill(0, key, v);
      } else {
        refHits++;
      }
    }
    assertThat(hits.get()).isEqualTo(refHits);
  }
}
