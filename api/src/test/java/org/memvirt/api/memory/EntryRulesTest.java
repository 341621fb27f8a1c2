package org.memvirt.api.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Each rule of the ownership contract for one P2M change, alone: who may change a held
 * entry, which owner id may be written, what a MAPPED or SHARED entry may point to, and the
 * reservation and the limit. Frame 10 is private to page 1; frame 20 is shared; frame 30 is
 * private to another page.
 */
class EntryRulesTest {
  private static final EntryRules.Frames FRAMES = new EntryRules.Frames() {
    @Override
    public boolean privateTo(long hppn, long gppn) {
      return hppn == 10 && gppn == 1;
    }

    @Override
    public boolean shareable(long hppn) {
      return hppn == 20;
    }

    @Override
    public String describe(long hppn) {
      return hppn == 20 ? "shared by 2" : "private to page " + (hppn == 10 ? 1 : 9);
    }
  };

  private static final long UNBACKED = 0;
  private static final long MINE = P2mEntry.mapped(10);
  private static final long SHARED = P2mEntry.of(P2mEntry.SHARED, 20, 2);
  private static final long SWAPPED_BY_3 = P2mEntry.of(P2mEntry.SWAPPED, 5, 3);

  private static String change(long old, long entry, int owner) {
    return change(old, entry, owner, 100, 10, 200);
  }

  private static String change(long old, long entry, int owner, long backed, long min, long max) {
    return EntryRules.refusal(1, old, entry, owner, FRAMES, backed, min, max, id -> "technique " + id);
  }

  @Test
  void aTechniqueMayChangeEngineEntriesAndItsOwn() {
    assertThat(change(UNBACKED, MINE, 2)).isNull();
    assertThat(change(MINE, SHARED, 2)).isNull();
    assertThat(change(SHARED, P2mEntry.of(P2mEntry.SWAPPED, 7, 2), 2)).isNull();
    assertThat(change(P2mEntry.of(P2mEntry.SWAPPED, 7, 2), MINE, 2)).isNull();
    assertThat(change(MINE, UNBACKED, 2)).isNull();
    assertThat(change(SWAPPED_BY_3, P2mEntry.of(P2mEntry.BALLOONED, 0, 3), 3)).isNull();
  }

  @Test
  void aPolicyMayChangeNothing() {
    assertThat(change(UNBACKED, UNBACKED, -1))
        .isEqualTo("changed the P2M entry of guest page 1; a policy may only read and sample it");
  }

  @Test
  void anEntryAnotherTechniqueHoldsIsItsAlone() {
    assertThat(change(SWAPPED_BY_3, MINE, 2))
        .isEqualTo("changed guest page 1 (swapped), which technique 3 holds; ask it with requestRelease");
    assertThat(change(SWAPPED_BY_3, MINE, 0)).startsWith("changed guest page 1 (swapped), which technique 3");
  }

  @Test
  void onlyItsOwnIdOrTheEnginesMayBeWritten() {
    assertThat(change(MINE, P2mEntry.of(P2mEntry.SWAPPED, 1, 3), 2))
        .isEqualTo("wrote the owner id of technique 3 into guest page 1");
    assertThat(change(MINE, P2mEntry.of(P2mEntry.SWAPPED, 1, 0), 2)).isNull();
    assertThat(change(MINE, P2mEntry.of(P2mEntry.SWAPPED, 1, 1), 0))
        .isEqualTo("wrote the owner id of technique 1 into guest page 1");
  }

  @Test
  void aWritableMappingNeedsAFramePrivateToThePage() {
    assertThat(change(UNBACKED, P2mEntry.mapped(30), 2))
        .isEqualTo("mapped guest page 1 writable to host frame 30, which is private to page 9");
    assertThat(change(UNBACKED, P2mEntry.mapped(20), 2))
        .isEqualTo("mapped guest page 1 writable to host frame 20, which is shared by 2");
  }

  @Test
  void aSharedMappingNeedsASharedOrHeldFrame() {
    assertThat(change(MINE, P2mEntry.of(P2mEntry.SHARED, 10, 2), 2))
        .isEqualTo("mapped guest page 1 shared to host frame 10, which is private to page 1");
    // Other states carry a cookie, not a frame: any value goes.
    assertThat(change(MINE, P2mEntry.of(P2mEntry.SWAPPED, 30, 2), 2)).isNull();
  }

  @Test
  void aFrameIsNotTakenAtTheReservation() {
    assertThat(change(MINE, UNBACKED, 2, 10, 10, 200))
        .isEqualTo("took guest page 1 at the VM's reservation (min 10 pages)");
    assertThat(change(MINE, UNBACKED, 2, 11, 10, 200)).isNull();
    assertThat(change(MINE, P2mEntry.of(P2mEntry.SWAPPED, 1, 2), 2, 9, 10, 200)).startsWith("took guest page 1");
    // Staying backed is no taking, at the reservation or not.
    assertThat(change(MINE, SHARED, 2, 10, 10, 200)).isNull();
    assertThat(change(UNBACKED, P2mEntry.of(P2mEntry.BALLOONED, 0, 2), 2, 10, 10, 200)).isNull();
  }

  @Test
  void aFrameIsNotAddedAtTheLimit() {
    assertThat(change(UNBACKED, MINE, 2, 200, 10, 200))
        .isEqualTo("backed guest page 1 at the VM's limit (max 200 pages); allocate() makes room first");
    assertThat(change(UNBACKED, MINE, 2, 199, 10, 200)).isNull();
    assertThat(change(UNBACKED, SHARED, 2, 201, 10, 200)).startsWith("backed guest page 1 at the VM's limit");
    assertThat(change(MINE, SHARED, 2, 200, 10, 200)).isNull();
    assertThat(change(P2mEntry.of(P2mEntry.SWAPPED, 7, 2), P2mEntry.of(P2mEntry.BALLOONED, 0, 2), 2, 200, 10, 200))
        .isNull();
  }
}
