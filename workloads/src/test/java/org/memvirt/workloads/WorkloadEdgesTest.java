package org.memvirt.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.memvirt.api.AccessKind;
import org.memvirt.api.memory.Content;
import org.memvirt.api.workload.AccessBatch;
import org.memvirt.api.workload.Workload;
import org.memvirt.api.workload.WorkloadFactory;
import org.memvirt.testkit.FakeWorkloadContext;
import org.memvirt.testkit.MapSettings;

/**
 * The synthetic workloads at their edges: each setting's last accepted value and its first
 * refused one, the addresses each pattern may produce (within its footprint, 8-byte words of
 * whole pages), every page a pattern can reach reached, code fetches running on and wrapping,
 * and content that holds the fractions it was given.
 */
class WorkloadEdgesTest {
  private static Workload workload(String type, Map<String, Object> settings) {
    WorkloadFactory f = WorkloadsPlugin.FACTORIES.stream().filter(x -> x.name().equals(type))
        .map(x -> (WorkloadFactory) x).findFirst()
        .orElseGet(() -> type.equals("image") ? new ImageWorkloadFactory() : new DedupProbeFactory());
    return f.create(new FakeWorkloadContext(new MapSettings(settings), 3));
  }

  /** The last value each check accepts: one page, the VM's whole memory, a working set the size of the footprint. */
  @ParameterizedTest(name = "{0} {1}={2}")
  @CsvSource(delimiter = '|', value = {
    "uniform|footprint|4KiB",
    "uniform|footprint|1GiB",
    "uniform|code|4KiB",
    "phases|working_set|4KiB",
    "phases|working_set|8MiB",
    "phases|alternate|8MiB",
    "idle|active|8MiB",
    "sequential|stride|8",
    "image|footprint|4KiB",
    "dedup-probe|guesses|2",
    "dedup-probe|guesses|512",
    "dedup-probe|calibration|1",
    "dedup-probe|calibration|4096",
  })
  void theLastAcceptedValue(String type, String key, String value) {
    Map<String, Object> settings = new HashMap<>(Map.of("footprint", "8MiB"));
    if (type.equals("dedup-probe")) {
      settings.put("footprint", "1MiB");
    }
    settings.put(key, value);
    assertThat(workload(type, settings)).isNotNull();
  }

  /** And the first refused one beside it. */
  @ParameterizedTest(name = "{0} {1}={2}")
  @CsvSource(delimiter = '|', value = {
    "uniform|footprint|1049604KiB|footprint",
    "phases|working_set|8196KiB|working_set",
    "phases|alternate|8196KiB|alternate",
    "idle|active|8196KiB|active",
    "sequential|stride|0|stride",
    "dedup-probe|guesses|1|guesses",
    "dedup-probe|guesses|513|guesses",
    "dedup-probe|calibration|0|calibration",
    "dedup-probe|calibration|4097|calibration",
    "dedup-probe|base|0x3ff000|base",
    "image|base|0x3ff000|base",
  })
  void theFirstRefusedValue(String type, String key, String value, String named) {
    Map<String, Object> settings = new HashMap<>(Map.of("footprint", type.equals("dedup-probe") ? "1MiB" : "8MiB"));
    settings.put(key, value);
    assertThatThrownBy(() -> workload(type, settings)).hasMessageStartingWith(named + ": expected");
  }

  /** Data just below the code region at 0x400000, or just above its end, is accepted; one page into it is not. */
  @Test
  void dataMayTouchTheCodeRegionButNotOverlapIt() {
    assertThat(workload("uniform", Map.of("footprint", "4KiB", "base", "0x3ff000"))).isNotNull();
    assertThat(workload("uniform", Map.of("footprint", "4KiB", "code", "4KiB", "base", "0x401000"))).isNotNull();
    assertThatThrownBy(() -> workload("uniform", Map.of("footprint", "8KiB", "base", "0x3ff000")))
        .hasMessageStartingWith("base: expected a data region that does not overlap");
    assertThatThrownBy(() -> workload("uniform", Map.of("footprint", "4KiB", "code", "8KiB", "base", "0x401000")))
        .hasMessageStartingWith("base: expected a data region that does not overlap");
    assertThat(workload("uniform", Map.of("footprint", "4KiB", "base", "0x7ffffffff000"))).isNotNull();
    assertThatThrownBy(() -> workload("uniform", Map.of("footprint", "8KiB", "base", "0x7ffffffff000")))
        .hasMessageStartingWith("base: expected an address range within the 47-bit");
  }

  /** Every pattern's data addresses fall in its footprint, on 8-byte words, spread over the page. */
  @ParameterizedTest
  @CsvSource({"uniform", "zipf", "phases", "sequential", "idle"})
  void addressesStayInTheFootprintOnWords(String type) {
    Workload w = workload(type, Map.of("footprint", "64KiB", "writes", "0.5", "active", "64KiB"));
    AccessBatch b = new AccessBatch(4096);
    Set<Long> offsets = new HashSet<>();
    int n = w.next(b);
    assertThat(n).isPositive();
    for (int i = 0; i < n; i++) {
      long offset = b.addresses[i] - PatternWorkloadFactory.DATA_BASE;
      assertThat(offset).as(type).isBetween(0L, (64L << 10) - 8);
      assertThat(offset % 8).isZero();
      offsets.add(offset & 4095);
    }
    if (!type.equals("sequential")) {
      assertThat(offsets.size()).as(type + ": offsets within the page").isGreaterThan(100);
    }
  }

  /**
   * Zipf's ranks map to pages through a stride coprime with the page count, so that every
   * page is some rank's: with almost no skew, every page of a footprint of any size is hit.
   */
  @ParameterizedTest
  @CsvSource({"1", "2", "12", "64", "97", "100"})
  void zipfReachesEveryPage(int pages) {
    Workload w = workload("zipf", Map.of("footprint", pages * 4 + "KiB", "skew", "0.01"));
    AccessBatch b = new AccessBatch(4096);
    Set<Long> seen = new HashSet<>();
    for (int round = 0; round < 8; round++) {
      int n = w.next(b);
      for (int i = 0; i < n; i++) {
        seen.add((b.addresses[i] - PatternWorkloadFactory.DATA_BASE) >>> 12);
      }
    }
    assertThat(seen).hasSize(pages);
  }

  /** With the skew it has by default, zipf's hottest page is hit far more than a uniform share. */
  @Test
  void zipfHasAHotPage() {
    Workload w = workload("zipf", Map.of("footprint", "4MiB"));
    AccessBatch b = new AccessBatch(8192);
    Map<Long, Integer> hits = new HashMap<>();
    int n = w.next(b);
    for (int i = 0; i < n; i++) {
      hits.merge(b.addresses[i] >>> 12, 1, Integer::sum);
    }
    int hottest = hits.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
    // 1024 pages: a uniform share is 8 of 8192; zipf(0.99)'s first rank takes about 12%.
    assertThat(hottest).isGreaterThan(8 * 50);
  }

  /** Instruction fetches walk the code region word by word, wrap at its end, and jump now and then. */
  @Test
  void codeFetchesRunOnWrapAndJump() {
    Workload w = workload("uniform", Map.of("footprint", "64KiB", "fetches", "1", "code", "4KiB"));
    AccessBatch b = new AccessBatch(8192);
    int n = w.next(b);
    Set<Long> words = new HashSet<>();
    int onward = 0;
    int wraps = 0;
    for (int i = 0; i < n; i++) {
      assertThat((int) b.kinds[i]).isEqualTo((int) AccessKind.FETCH);
      long word = (b.addresses[i] - PatternWorkloadFactory.CODE_BASE) >>> 3;
      assertThat(word).isBetween(0L, 511L);
      assertThat(b.addresses[i] % 8).isZero();
      words.add(word);
      if (i > 0) {
        long prev = (b.addresses[i - 1] - PatternWorkloadFactory.CODE_BASE) >>> 3;
        onward += word == prev + 1 ? 1 : 0;
        wraps += prev == 511 && word == 0 ? 1 : 0;
      }
    }
    assertThat(words).hasSize(512);
    // One jump in 16: about 15/16 of fetches go on to the next word.
    assertThat(onward).isBetween(n * 13 / 16, n * 15 / 16 + 1);
    assertThat(wraps).isPositive();
  }

  /** Content with zero and shared fractions: zeros, the image's tokens, and unique data in those shares. */
  @Test
  void contentHoldsItsFractions() {
    ContentModel c = new ContentModel(new MapSettings(Map.of("zero", "0.25", "shared", "0.25", "image", "os")), 9);
    int zeros = 0;
    int shared = 0;
    Set<Long> unique = new HashSet<>();
    int pages = 20_000;
    for (long p = 0; p < pages; p++) {
      long t = c.tokenFor(p);
      if (t == 0) {
        zeros++;
      } else if (t == ContentModel.imageToken("os", p)) {
        shared++;
      } else {
        unique.add(t);
      }
    }
    assertThat(zeros).isBetween(pages / 4 - 400, pages / 4 + 400);
    assertThat(shared).isBetween(pages / 4 - 400, pages / 4 + 400);
    assertThat(unique).hasSize(pages - zeros - shared);
    // A page written again gets new unique content, never the same twice.
    ContentModel u = new ContentModel(new MapSettings(Map.of()), 9);
    assertThat(u.tokenFor(5)).isNotEqualTo(u.tokenFor(5));
    assertThat(ContentModel.imageToken("os", 5)).isEqualTo(ContentModel.imageToken("os", 5))
        .isNotEqualTo(ContentModel.imageToken("os", 6)).isNotEqualTo(ContentModel.imageToken("db", 5));
  }

  /** The mix that names tokens spreads nearby inputs over all 64 bits: each output bit is set about half the time. */
  @Test
  void theHashMixesEveryBit() {
    int[] ones = new int[64];
    int n = 4096;
    for (long a = 0; a < n; a++) {
      long h = ContentModel.hash(a, 1);
      for (int bit = 0; bit < 64; bit++) {
        ones[bit] += (int) (h >>> bit & 1);
      }
    }
    for (int bit = 0; bit < 64; bit++) {
      assertThat(ones[bit]).as("bit " + bit).isBetween(n / 2 - 200, n / 2 + 200);
    }
    assertThat(ContentModel.hash(1, 2)).isNotEqualTo(ContentModel.hash(2, 1));
  }

  /** Compressible content says how it compresses; an image's pages never do (they are not compressible). */
  @Test
  void compressedContentCarriesItsSize() {
    ContentModel half = new ContentModel(new MapSettings(Map.of("compressed", "0.5")), 1);
    assertThat(Content.compressedSixteenths(half.tokenFor(3))).isEqualTo(8);
    assertThat(Content.compressedSixteenths(ContentModel.imageToken("os", 3))).isEqualTo(16);
  }

  /** An image's zero fraction: about that share of its pages are zeros, the same ones in every VM. */
  @Test
  void anImagesZeroPagesAreItsOwn() {
    int zeros = 0;
    for (long p = 0; p < 10_000; p++) {
      long t = ImageWorkload.token("os", 0.3, p);
      assertThat(t).isEqualTo(ImageWorkload.token("os", 0.3, p));
      zeros += t == 0 ? 1 : 0;
      if (t != 0) {
        assertThat(t).isEqualTo(ContentModel.imageToken("os", p));
      }
    }
    assertThat(zeros).isBetween(2_800, 3_200);
  }

  /** Every factory documents its keys (and the attacker its metrics). */
  @Test
  void everyFactoryDocumentsItsKeys() {
    for (PatternWorkloadFactory f : WorkloadsPlugin.FACTORIES) {
      assertThat(f.settings()).as(f.name()).extracting(org.memvirt.api.SettingInfo::key).contains("footprint",
          "writes", "fetches", "code", "base");
    }
    assertThat(new ImageWorkloadFactory().settings()).extracting(org.memvirt.api.SettingInfo::key)
        .contains("footprint", "image", "zero", "base");
    assertThat(new DedupProbeFactory().settings()).extracting(org.memvirt.api.SettingInfo::key)
        .contains("guesses", "calibration", "wait");
    assertThat(new DedupProbeFactory().metrics()).extracting(org.memvirt.api.MetricInfo::name)
        .contains(DedupProbeFactory.GUESSES, DedupProbeFactory.CORRECT, DedupProbeFactory.THRESHOLD);
  }
}
