package org.memvirt.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.memvirt.api.AccessKind;
import org.memvirt.api.Settings;
import org.memvirt.api.workload.AccessBatch;
import org.memvirt.api.workload.Workload;
import org.memvirt.testkit.FakeWorkloadContext;
import org.memvirt.testkit.MapSettings;

class SyntheticWorkloadsTest {
  private static final long BASE = PatternWorkloadFactory.DATA_BASE;

  private static Workload workload(String type, Map<String, Object> settings, long seed) {
    PatternWorkloadFactory f = WorkloadsPlugin.FACTORIES.stream().filter(x -> x.name().equals(type)).findFirst()
        .orElseThrow();
    Settings s = new MapSettings(settings);
    return f.create(new FakeWorkloadContext(s, seed));
  }

  /** Up to {@code max} accesses as {address, kind, value} triples. */
  private static List<long[]> take(Workload w, int max) {
    List<long[]> out = new ArrayList<>();
    AccessBatch b = new AccessBatch(100);
    while (out.size() < max) {
      int n = w.next(b);
      if (n == 0) {
        break;
      }
      for (int i = 0; i < n && out.size() < max; i++) {
        out.add(new long[] {b.addresses[i], b.kinds[i], b.values[i]});
      }
    }
    return out;
  }

  @Test
  void uniformStaysInItsFootprintWithTheWriteMix() {
    List<long[]> a = take(workload("uniform", Map.of("footprint", "1MiB", "writes", "0.25"), 1), 100_000);
    assertThat(a).allSatisfy(x -> {
      assertThat(x[0]).isBetween(BASE, BASE + (1 << 20) - 8);
      assertThat(x[0] % 8).isZero();
    });
    long writes = a.stream().filter(x -> x[1] == AccessKind.WRITE).count();
    assertThat(writes / 100_000.0).isBetween(0.24, 0.26);
    Set<Long> pages = new HashSet<>();
    a.forEach(x -> pages.add(x[0] >>> 12));
    assertThat(pages).hasSize(256);
  }

  @Test
  void zipfConcentratesOnAHotSet() {
    int n = 200_000;
    List<long[]> a = take(workload("zipf", Map.of("footprint", "16MiB", "skew", "0.99"), 2), n);
    Map<Long, Integer> counts = new HashMap<>();
    a.forEach(x -> counts.merge(x[0] >>> 12, 1, Integer::sum));
    int hottest = counts.values().stream().max(Integer::compare).orElseThrow();
    // P(rank 1) = 1 / H(4096, 0.99) ~ 0.113
    double h = 0;
    for (int r = 1; r <= 4096; r++) {
      h += 1 / Math.pow(r, 0.99);
    }
    assertThat(hottest / (double) n).isBetween(0.9 / h, 1.1 / h);
    assertThat(a).allSatisfy(x -> assertThat(x[0]).isBetween(BASE, BASE + (16 << 20) - 8));
  }

  @Test
  void sequentialScansWithItsStrideAndWraps() {
    List<long[]> a = take(workload("sequential", Map.of("footprint", "4KiB", "stride", "1024", "writes", "0"), 3), 6);
    assertThat(a).extracting(x -> x[0] - BASE).containsExactly(0L, 1024L, 2048L, 3072L, 0L, 1024L);
  }

  @Test
  void phasesMoveTheWorkingSet() {
    List<long[]> a = take(workload("phases", Map.of("footprint", "64KiB", "working_set", "16KiB", "phase", "1000"), 4),
        5000);
    for (int i = 0; i < 5000; i++) {
      long ws = (i / 1000) % 4;
      assertThat(a.get(i)[0] - BASE).isBetween(ws * 16384, ws * 16384 + 16383);
    }
  }

  @Test
  void idleTouchesItsFootprintOnceAndFinishes() {
    List<long[]> a = take(workload("idle", Map.of("footprint", "40KiB", "writes", "1"), 5), 1000);
    assertThat(a).hasSize(10);
    assertThat(a).extracting(x -> (x[0] - BASE) >>> 12).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
  }

  @Test
  void fetchesComeFromTheCodeRegion() {
    List<long[]> a = take(workload("uniform", Map.of("footprint", "1MiB", "fetches", "0.5", "code", "64KiB"), 6), 10_000);
    List<long[]> fetches = a.stream().filter(x -> x[1] == AccessKind.FETCH).toList();
    assertThat(fetches.size() / 10_000.0).isBetween(0.47, 0.53);
    assertThat(fetches).allSatisfy(x ->
        assertThat(x[0]).isBetween(PatternWorkloadFactory.CODE_BASE, PatternWorkloadFactory.CODE_BASE + 65535));
  }

  @Test
  void contentModelZeroSharedAndUnique() {
    Map<String, Object> content = Map.of("zero", "0.25", "shared", "0.5", "image", "debian");
    Map<String, Object> s = Map.of("footprint", "4MiB", "writes", "1", "content", content);
    List<long[]> a = take(workload("uniform", s, 7), 50_000);
    List<long[]> b = take(workload("uniform", s, 8), 50_000);
    Map<Long, Long> imageA = new HashMap<>();
    long zeros = 0;
    for (long[] x : a) {
      if (x[2] == 0) {
        zeros++;
      }
    }
    assertThat(zeros / 50_000.0).isBetween(0.2, 0.3);
    // Shared content: the same page gets the same token in both processes, every time.
    for (long[] x : a) {
      imageA.put(x[0] >>> 12, x[2]);
    }
    int same = 0;
    int differ = 0;
    for (long[] x : b) {
      Long t = imageA.get(x[0] >>> 12);
      if (t != null && t != 0) {
        if (t == x[2]) {
          same++;
        } else {
          differ++;
        }
      }
    }
    assertThat(same).isPositive();
    assertThat(differ).isPositive();
  }

  @Test
  void eachPageKeepsItsCharacter() {
    Map<String, Object> content = Map.of("zero", "0.25", "shared", "0.5", "image", "debian");
    ContentModel one = new ContentModel(new MapSettings(content), 1);
    ContentModel other = new ContentModel(new MapSettings(content), 2);
    ContentModel otherImage = new ContentModel(new MapSettings(Map.of("zero", "0.25", "shared", "0.5")), 3);
    int zero = 0;
    int shared = 0;
    int unique = 0;
    for (long page = 0; page < 10_000; page++) {
      long first = one.tokenFor(page);
      long again = one.tokenFor(page);
      if (first == 0) {
        assertThat(again).isZero();
        zero++;
      } else if (first == again) {
        assertThat(other.tokenFor(page)).as("same image, same page").isEqualTo(first);
        assertThat(otherImage.tokenFor(page)).as("another image").isNotEqualTo(first);
        shared++;
      } else {
        assertThat(other.tokenFor(page)).isNotEqualTo(first);
        unique++;
      }
    }
    assertThat(zero / 10_000.0).isBetween(0.23, 0.27);
    assertThat(shared / 10_000.0).isBetween(0.48, 0.52);
    assertThat(unique / 10_000.0).isBetween(0.23, 0.27);
  }

  @Test
  void sameSeedSameStream() {
    Map<String, Object> s = Map.of("footprint", "8MiB", "fetches", "0.1");
    assertThat(take(workload("zipf", s, 9), 5000)).usingRecursiveComparison()
        .isEqualTo(take(workload("zipf", s, 9), 5000));
    assertThat(take(workload("zipf", s, 9), 50).get(0)).isNotEqualTo(take(workload("zipf", s, 10), 50).get(0));
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> workload("sequential", Map.of("stride", "12"), 1)).hasMessageContaining("stride");
    assertThatThrownBy(() -> workload("zipf", Map.of("skew", "0"), 1)).hasMessageContaining("skew");
    assertThatThrownBy(() -> workload("uniform", Map.of("base", "0x400000"), 1)).hasMessageContaining("base");
  }
}
