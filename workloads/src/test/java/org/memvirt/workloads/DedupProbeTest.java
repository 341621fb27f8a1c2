package org.memvirt.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.memvirt.api.AccessKind;
import org.memvirt.api.Clock;
import org.memvirt.api.Counter;
import org.memvirt.api.Metrics;
import org.memvirt.api.Settings;
import org.memvirt.api.workload.AccessBatch;
import org.memvirt.api.workload.Workload;
import org.memvirt.api.workload.WorkloadContext;
import org.memvirt.testkit.MapSettings;

/** The side channel's two roles, on a clock that makes writes to "shared" contents slow. */
class DedupProbeTest {
  private final Map<String, Counter> counters = new HashMap<>();
  private long now;

  private Workload probe(Map<String, Object> settings) {
    return create(new DedupProbeFactory(), settings);
  }

  private Workload create(org.memvirt.api.workload.WorkloadFactory factory, Map<String, Object> settings) {
    Settings s = new MapSettings(settings);
    return factory.create(new WorkloadContext() {
      @Override
      public Settings settings() {
        return s;
      }

      @Override
      public long seed() {
        return 5;
      }

      @Override
      public String vmName() {
        return "attacker";
      }

      @Override
      public int processIndex() {
        return 0;
      }

      @Override
      public long vmMemoryBytes() {
        return 64L << 20;
      }

      @Override
      public Clock clock() {
        return () -> now;
      }

      @Override
      public Metrics metrics() {
        return name -> counters.computeIfAbsent(name, Counter::new);
      }
    });
  }

  /** An image is written once, then only read; its pages are what a regular workload of that image writes. */
  @Test
  void anImageIsWrittenOnceThenOnlyRead() {
    Workload victim = create(new ImageWorkloadFactory(), Map.of("image", "lib", "footprint", "32KiB"));
    AccessBatch b = new AccessBatch(16);
    assertThat(victim.next(b)).isEqualTo(16);
    for (int i = 0; i < 16; i++) {
      assertThat((int) b.kinds[i]).isEqualTo((int) (i < 8 ? AccessKind.WRITE : AccessKind.READ));
      assertThat(b.addresses[i]).isEqualTo(PatternWorkloadFactory.DATA_BASE + (i % 8) * 4096L);
    }
    ContentModel regular = new ContentModel(new MapSettings(Map.of("shared", "1", "image", "lib")), 1);
    assertThat(b.values[3]).isEqualTo(regular.tokenFor((PatternWorkloadFactory.DATA_BASE >>> 12) + 3));
  }

  /**
   * Writes take 100 ns, 2100 ns when the page's content is held elsewhere too (the victim's
   * pages, or a second page of the attacker's own): a perfect channel, read perfectly.
   */
  @Test
  void theAttackerReadsAPerfectChannelPerfectly() {
    Workload victim = create(new ImageWorkloadFactory(), Map.of("image", "lib", "footprint", "256KiB"));
    AccessBatch vb = new AccessBatch(64);
    victim.next(vb);
    Set<Long> victimTokens = new HashSet<>();
    for (int i = 0; i < 64; i++) {
      victimTokens.add(vb.values[i]);
    }
    Workload attacker = probe(Map.of("image", "lib", "footprint", "256KiB", "guesses", "40", "calibration", "4",
        "wait", "1000000"));
    Map<Long, Long> pageToken = new HashMap<>();
    Map<Long, Integer> tokenCount = new HashMap<>();
    AccessBatch b = new AccessBatch(32);
    for (int n; (n = attacker.next(b)) > 0; ) {
      for (int i = 0; i < n; i++) {
        long cost = 100;
        if (b.kinds[i] == AccessKind.WRITE) {
          Long old = pageToken.put(b.addresses[i], b.values[i]);
          if (old != null && (victimTokens.contains(old) || tokenCount.get(old) > 1)) {
            cost += 2000;
          }
          tokenCount.merge(b.values[i], 1, Integer::sum);
        }
        now += cost;
      }
    }
    long guesses = counters.get(DedupProbeFactory.GUESSES).get();
    assertThat(guesses).isEqualTo(40);
    assertThat(counters.get(DedupProbeFactory.CORRECT).get()).isEqualTo(40);
    assertThat(counters.get(DedupProbeFactory.SAID_PRESENT).get())
        .isEqualTo(counters.get(DedupProbeFactory.PRESENT).get()).isPositive();
    assertThat(counters.get(DedupProbeFactory.THRESHOLD).get()).isEqualTo(1100);
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> probe(Map.of("footprint", "16KiB", "guesses", "9"))).hasMessageContaining("guesses");
    assertThatThrownBy(() -> create(new ImageWorkloadFactory(), Map.of("footprint", "1000")))
        .hasMessageContaining("footprint");
    assertThatThrownBy(() -> probe(Map.of("calibration", "0"))).hasMessageContaining("calibration");
    assertThatThrownBy(() -> probe(Map.of("wait", "0"))).hasMessageContaining("wait");
  }

  /**
   * The attacker's pages lie past the victim's image, one page each, in order: its guesses
   * and calibration written in that order, then it spins reading its first page until the
   * wait is over, then writes each page again, one a batch. Its present guesses are distinct
   * pages of the image (never a zero one); its absent ones no page of it; its calibration
   * pairs are equal, its unique pages are not.
   */
  @Test
  void theAttackersLayoutAndTimeline() {
    Workload victim = create(new ImageWorkloadFactory(), Map.of("image", "lib", "footprint", "64KiB", "zero", "0.3"));
    AccessBatch vb = new AccessBatch(16);
    victim.next(vb);
    Set<Long> image = new HashSet<>();
    for (int i = 0; i < 16; i++) {
      image.add(vb.values[i]);
    }
    long wait = 5_000;
    Workload attacker = probe(Map.of("image", "lib", "footprint", "64KiB", "zero", "0.3", "guesses", "10",
        "calibration", "2", "wait", Long.toString(wait)));
    long base = PatternWorkloadFactory.DATA_BASE + ((16L + 16) << 12);
    int total = 10 + 3 * 2;
    AccessBatch b = new AccessBatch(64);
    assertThat(attacker.next(b)).isEqualTo(total);
    long[] tokens = new long[total];
    for (int i = 0; i < total; i++) {
      assertThat((int) b.kinds[i]).isEqualTo((int) AccessKind.WRITE);
      assertThat(b.addresses[i]).isEqualTo(base + ((long) i + 1 << 12));
      tokens[i] = b.values[i];
    }
    Set<Long> present = new HashSet<>();
    int absent = 0;
    for (int g = 0; g < 10; g++) {
      assertThat(tokens[g]).isNotZero();
      if (image.contains(tokens[g])) {
        assertThat(present.add(tokens[g])).as("guess " + g + " repeats a page").isTrue();
      } else {
        absent++;
      }
    }
    assertThat(present).isNotEmpty();
    assertThat(absent).isPositive();
    assertThat(tokens[10]).isEqualTo(tokens[11]);
    assertThat(tokens[12]).isEqualTo(tokens[13]).isNotEqualTo(tokens[10]);
    assertThat(tokens[14]).isNotEqualTo(tokens[15]).isNotEqualTo(tokens[10]);
    // The wait: reads of its spin page until the clock has moved on by `wait`.
    now = 1_000;
    assertThat(attacker.next(b)).isEqualTo(64);
    for (int i = 0; i < 64; i++) {
      assertThat(b.addresses[i]).isEqualTo(base);
      assertThat((int) b.kinds[i]).isEqualTo((int) AccessKind.READ);
    }
    now = 1_000 + wait - 1;
    assertThat(attacker.next(b)).isEqualTo(64);
    now = 1_000 + wait;
    // Then each page again, one write a batch, in order, with content of its own.
    for (int i = 0; i < total; i++) {
      assertThat(attacker.next(b)).isEqualTo(1);
      assertThat(b.addresses[0]).isEqualTo(base + ((long) i + 1 << 12));
      assertThat((int) b.kinds[0]).isEqualTo((int) AccessKind.WRITE);
      assertThat(b.values[0]).isNotIn(image);
      now += 100;
    }
    assertThat(attacker.next(b)).isZero();
    assertThat(counters.get(DedupProbeFactory.GUESSES).get()).isEqualTo(10);
    assertThat(attacker.next(b)).isZero();
  }
}
