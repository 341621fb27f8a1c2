package org.memvirt.engine.hardware;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SetAssociativeTlbTest {
  @Test
  void evictsTheLeastRecentlyUsedWayOfTheSet() {
    // 8 entries, 2 ways: 4 sets; vpns 0, 4, 8 all map to set 0.
    SetAssociativeTlb tlb = new SetAssociativeTlb(8, 2);
    tlb.insert(0, 0, 100);
    tlb.insert(0, 4, 104);
    assertThat(tlb.lookup(0, 0)).isEqualTo(100); // 0 is now more recent than 4
    tlb.insert(0, 8, 108); // evicts 4
    assertThat(tlb.contains(0, 4)).isFalse();
    assertThat(tlb.lookup(0, 0)).isEqualTo(100);
    assertThat(tlb.lookup(0, 8)).isEqualTo(108);
    tlb.insert(0, 12, 112); // 0 was used before 8: evicts 0
    assertThat(tlb.contains(0, 0)).isFalse();
    assertThat(tlb.contains(0, 8)).isTrue();
    assertThat(tlb.lookup(0, 1)).isEqualTo(-1);
  }

  @Test
  void otherSetsAreUntouched() {
    SetAssociativeTlb tlb = new SetAssociativeTlb(8, 2);
    tlb.insert(0, 1, 1);
    tlb.insert(0, 0, 0);
    tlb.insert(0, 4, 4);
    tlb.insert(0, 8, 8);
    assertThat(tlb.contains(0, 1)).isTrue();
  }

  @Test
  void invalidateAndFlush() {
    SetAssociativeTlb tlb = new SetAssociativeTlb(4, 4);
    tlb.insert(0, 7, 70);
    tlb.insert(0, 9, 90);
    tlb.invalidate(0, 7);
    assertThat(tlb.lookup(0, 7)).isEqualTo(-1);
    assertThat(tlb.lookup(0, 9)).isEqualTo(90);
    tlb.flush();
    assertThat(tlb.lookup(0, 9)).isEqualTo(-1);
  }

  @Test
  void updatingAnEntryKeepsOneCopy() {
    SetAssociativeTlb tlb = new SetAssociativeTlb(2, 2);
    tlb.insert(0, 3, 30);
    tlb.insert(0, 3, 31);
    tlb.insert(0, 5, 50);
    assertThat(tlb.lookup(0, 3)).isEqualTo(31);
    assertThat(tlb.lookup(0, 5)).isEqualTo(50);
  }

  @Test
  void entriesOfOtherTagsDoNotMatch() {
    SetAssociativeTlb tlb = new SetAssociativeTlb(4, 4);
    tlb.insert(1, 7, 70);
    tlb.insert(2, 7, 71);
    assertThat(tlb.lookup(1, 7)).isEqualTo(70);
    assertThat(tlb.lookup(2, 7)).isEqualTo(71);
    assertThat(tlb.lookup(3, 7)).isEqualTo(-1);
    tlb.flush(1);
    assertThat(tlb.lookup(1, 7)).isEqualTo(-1);
    assertThat(tlb.lookup(2, 7)).isEqualTo(71);
  }
}
