package org.memvirt.api.mmu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WalkResultTest {
  @Test
  void aViolationCarriesItsPageAndWhetherItWasAWrite() {
    for (long gppn : new long[] {0, 1, 511, 1L << 20, (1L << 40) - 1}) {
      for (boolean write : new boolean[] {false, true}) {
        long r = WalkResult.violation(gppn, write);
        assertThat(WalkResult.isViolation(r)).isTrue();
        assertThat(WalkResult.violationPage(r)).isEqualTo(gppn);
        assertThat(WalkResult.violationWrite(r)).isEqualTo(write);
      }
    }
  }

  @Test
  void theOtherResultsAreNotViolationsNorEntries() {
    assertThat(WalkResult.violation(0, false)).isEqualTo(-4);
    assertThat(WalkResult.isViolation(WalkResult.GUEST_FAULT)).isFalse();
    assertThat(WalkResult.isViolation(WalkResult.REPEAT)).isFalse();
    assertThat(WalkResult.isViolation(-3)).isFalse();
    assertThat(WalkResult.isViolation(TlbEntry.small(0, false))).isFalse();
    assertThat(WalkResult.violation(0, false)).isNegative();
  }

  @Test
  void tlbEntriesSayWhatTheyServe() {
    long small = TlbEntry.small(77, false);
    assertThat(TlbEntry.isLarge(small)).isFalse();
    assertThat(TlbEntry.serves(small, false)).isTrue();
    assertThat(TlbEntry.serves(small, true)).isFalse();
    assertThat(TlbEntry.serves(TlbEntry.MISS, false)).isFalse();
    assertThat(TlbEntry.hostFrame(small, 1234)).isEqualTo(77);
    long large = TlbEntry.large(1024 + 5, 9000 + 5, true);
    assertThat(TlbEntry.isLarge(large)).isTrue();
    assertThat(TlbEntry.serves(large, true)).isTrue();
    assertThat(TlbEntry.hostFrame(large, 1024 + 300)).isEqualTo(9000 + 300);
  }
}
