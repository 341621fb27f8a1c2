package org.memvirt.engine.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memvirt.api.Counter;
import org.memvirt.api.memory.HostMemory;
import org.memvirt.api.memory.HostMemoryState;

/**
 * The frame table alone: each operation moves a frame between free, private, shared and
 * held exactly as the contract says, keeps every count, zeroes what crosses a VM, and
 * refuses every move the contract forbids with a message naming the frame.
 */
class HostFramesTest {
  private final Counter zeroedA = new Counter("frames_zeroed");
  private final Counter zeroedB = new Counter("frames_zeroed");
  private final Counter zeroedHost = new Counter("frames_zeroed");
  private HostFrames host;

  @BeforeEach
  void eightFrames() {
    host = frames(8, 0);
  }

  private HostFrames frames(long count, long largeBlocks) {
    HostFrames h = new HostFrames(count, largeBlocks, FreeMemoryThresholds.ESX, List.of(zeroedA, zeroedB), zeroedHost);
    h.names(vm -> "vm " + "ab".charAt(vm), t -> "t" + t);
    return h;
  }

  @Test
  void framesAreHandedOutLowestFirstAndFreedOnesComeBackFirst() {
    assertThat(host.totalFrames()).isEqualTo(8);
    assertThat(host.freeFrames()).isEqualTo(8);
    assertThat(host.allocate(0, 10)).isZero();
    assertThat(host.allocate(0, 11)).isEqualTo(1);
    assertThat(host.allocate(1, 10)).isEqualTo(2);
    assertThat(host.freeFrames()).isEqualTo(5);
    host.free(1);
    assertThat(host.freeFrames()).isEqualTo(6);
    assertThat(host.holder(1)).isEqualTo(HostFrames.FREE);
    assertThat(host.allocate(1, 12)).isEqualTo(1);
  }

  @Test
  void anAllocatedFrameIsZeroedAndPrivateToItsPage() {
    long f = host.allocate(1, 42);
    assertThat(host.holder(f)).isEqualTo(1);
    assertThat(host.privateTo(f, 1, 42)).isTrue();
    assertThat(host.privateTo(f, 1, 43)).isFalse();
    assertThat(host.privateTo(f, 0, 42)).isFalse();
    assertThat(host.privateTo(f + 1, 1, 42)).isFalse();
    assertThat(host.privateTo(-1, 1, 42)).isFalse();
    assertThat(host.privateTo(8, 1, 42)).isFalse();
    assertThat(host.privateGppn(f)).isEqualTo(42);
    assertThat(host.content(f)).isZero();
    assertThat(host.shareable(f)).isFalse();
    assertThat(host.held(f)).isFalse();
    assertThat(host.sharers(f)).isZero();
    assertThat(host.describe(f)).isEqualTo("private to vm b guest page 42");
    assertThat(zeroedB.get()).isEqualTo(1);
    assertThat(zeroedA.get()).isZero();
  }

  @Test
  void aReusedFrameComesBackZeroed() {
    long f = host.allocate(0, 1);
    host.setContent(f, 77);
    assertThat(host.content(f)).isEqualTo(77);
    host.free(f);
    assertThat(host.allocate(1, 1)).isEqualTo(f);
    assertThat(host.content(f)).isZero();
    host.setContent(f, 78);
    host.free(f);
    assertThat(host.allocateHeld(3)).isEqualTo(f);
    assertThat(host.content(f)).isZero();
  }

  @Test
  void anExhaustedHostSaysNoFrame() {
    for (int i = 0; i < 8; i++) {
      assertThat(host.allocate(0, i)).isEqualTo(i);
    }
    assertThat(host.freeFrames()).isZero();
    assertThat(host.allocate(0, 9)).isEqualTo(HostMemory.NO_FRAME);
    assertThat(host.allocateHeld(1)).isEqualTo(HostMemory.NO_FRAME);
    assertThat(host.heldFrames(1)).isZero();
    assertThat(zeroedA.get()).isEqualTo(8);
    assertThat(zeroedHost.get()).isZero();
  }

  @Test
  void sharingCountsSharersAndTheLastOneFreesTheFrame() {
    long f = host.allocate(0, 5);
    host.share(f);
    assertThat(host.holder(f)).isEqualTo(HostFrames.SHARED);
    assertThat(host.sharers(f)).isEqualTo(1);
    assertThat(host.sharedFrames()).isEqualTo(1);
    assertThat(host.shareable(f)).isTrue();
    assertThat(host.held(f)).isFalse();
    assertThat(host.privateTo(f, 0, 5)).isFalse();
    host.addSharer(f);
    host.addSharer(f);
    assertThat(host.sharers(f)).isEqualTo(3);
    assertThat(host.describe(f)).isEqualTo("shared by 3");
    assertThat(host.heldFramesMapped()).isZero();
    assertThat(host.dropSharer(f)).isEqualTo(2);
    assertThat(host.dropSharer(f)).isEqualTo(1);
    assertThat(host.holder(f)).isEqualTo(HostFrames.SHARED);
    assertThat(host.freeFrames()).isEqualTo(7);
    assertThat(host.dropSharer(f)).isZero();
    assertThat(host.holder(f)).isEqualTo(HostFrames.FREE);
    assertThat(host.sharedFrames()).isZero();
    assertThat(host.freeFrames()).isEqualTo(8);
    assertThat(host.allocate(1, 0)).isEqualTo(f);
  }

  @Test
  void aSharedFrameWithOneSharerBecomesPrivateAgain() {
    long f = host.allocate(0, 5);
    host.share(f);
    host.addSharer(f);
    assertThatThrownBy(() -> host.makePrivate(f, 1, 9))
        .isInstanceOf(FrameTableViolation.class)
        .hasMessage("frame table: host frame 0 made private to vm b page 9 but it is not shared by one page "
            + "(shared by 2)");
    host.dropSharer(f);
    host.makePrivate(f, 1, 9);
    assertThat(host.privateTo(f, 1, 9)).isTrue();
    assertThat(host.sharedFrames()).isZero();
    assertThat(host.sharers(f)).isZero();
    assertThatThrownBy(() -> host.makePrivate(f, 1, 9))
        .isInstanceOf(FrameTableViolation.class)
        .hasMessageContaining("(private to vm b guest page 9)");
  }

  @Test
  void heldFramesAreCountedPerTechniqueAndMayBeMappedReadOnly() {
    long z = host.allocateHeld(2);
    assertThat(z).isZero();
    assertThat(zeroedHost.get()).isEqualTo(1);
    assertThat(zeroedA.get() + zeroedB.get()).isZero();
    assertThat(host.held(z)).isTrue();
    assertThat(host.shareable(z)).isTrue();
    assertThat(host.sharers(z)).isZero();
    assertThat(host.heldFrames(2)).isEqualTo(1);
    assertThat(host.heldFrames(1)).isZero();
    assertThat(host.heldFrames()).isEqualTo(1);
    assertThat(host.describe(z)).isEqualTo("held by t2, shared by 0");
    host.addSharer(z);
    assertThat(host.heldFramesMapped()).isEqualTo(1);
    host.addSharer(z);
    assertThat(host.heldFramesMapped()).isEqualTo(1);
    assertThat(host.sharedFrames()).isZero();
    assertThatThrownBy(() -> host.free(z))
        .isInstanceOf(FrameTableViolation.class)
        .hasMessage("frame table: host frame 0 freed while 2 guest pages share it (held by t2, shared by 2)");
    assertThat(host.dropSharer(z)).isEqualTo(1);
    assertThat(host.heldFramesMapped()).isEqualTo(1);
    assertThat(host.dropSharer(z)).isZero();
    assertThat(host.heldFramesMapped()).isZero();
    // A held frame is not freed with its last sharer: its holder frees it.
    assertThat(host.holder(z)).isNotEqualTo(HostFrames.FREE);
    assertThat(host.freeFrames()).isEqualTo(7);
    host.free(z);
    assertThat(host.heldFrames(2)).isZero();
    assertThat(host.heldFrames()).isZero();
    assertThat(host.freeFrames()).isEqualTo(8);
  }

  @Test
  void aTakenFrameKeepsItsContentAndAGivenOneIsZeroedOnlyAcrossVms() {
    long f = host.allocate(0, 3);
    host.setContent(f, 99);
    host.give(f, 0, 4);
    assertThat(host.privateTo(f, 0, 4)).isTrue();
    assertThat(host.content(f)).as("a frame that stays in one VM keeps its content").isEqualTo(99);
    assertThat(zeroedA.get()).isEqualTo(1);
    host.take(f, 1);
    assertThat(host.held(f)).isTrue();
    assertThat(host.heldFrames(1)).isEqualTo(1);
    assertThat(host.content(f)).isEqualTo(99);
    host.give(f, 1, 4);
    assertThat(host.heldFrames(1)).isZero();
    assertThat(host.privateTo(f, 1, 4)).isTrue();
    assertThat(host.content(f)).as("a held frame given to a VM is zeroed").isZero();
    assertThat(zeroedB.get()).isEqualTo(1);
    host.setContent(f, 7);
    host.give(f, 0, 4);
    assertThat(host.content(f)).as("a frame that moves to another VM is zeroed").isZero();
    assertThat(zeroedA.get()).isEqualTo(2);
    long h = host.allocateHeld(1);
    host.setContent(h, 5);
    host.give(h, 0, 6);
    assertThat(host.content(h)).isZero();
    assertThat(zeroedA.get()).isEqualTo(3);
    assertThat(host.heldFrames(1)).isZero();
  }

  @Test
  void forbiddenMovesAreRefusedNamingTheFrame() {
    long p = host.allocate(0, 1);
    long s = host.allocate(0, 2);
    host.share(s);
    long held = host.allocateHeld(1);
    host.addSharer(held);
    long free = 7;
    assertThatThrownBy(() -> host.free(free)).hasMessage("frame table: host frame 7 freed twice");
    assertThatThrownBy(() -> host.free(s))
        .hasMessage("frame table: host frame 1 freed while 1 guest pages share it (shared by 1)");
    assertThatThrownBy(() -> host.share(s))
        .hasMessage("frame table: host frame 1 shared but it is not private (shared by 1)");
    assertThatThrownBy(() -> host.share(free)).hasMessageContaining("(free)");
    assertThatThrownBy(() -> host.share(held)).hasMessageContaining("(held by t1, shared by 1)");
    assertThatThrownBy(() -> host.addSharer(p))
        .hasMessage("frame table: host frame 0 gained a sharer but it is not shared (private to vm a guest page 1)");
    assertThatThrownBy(() -> host.addSharer(free)).hasMessageContaining("gained a sharer");
    assertThatThrownBy(() -> host.dropSharer(p))
        .hasMessage("frame table: host frame 0 lost a sharer it does not have (private to vm a guest page 1)");
    long emptyHeld = host.allocateHeld(2);
    assertThatThrownBy(() -> host.dropSharer(emptyHeld)).hasMessageContaining("lost a sharer it does not have");
    assertThatThrownBy(() -> host.dropSharer(free)).hasMessageContaining("lost a sharer it does not have");
    assertThatThrownBy(() -> host.makePrivate(p, 0, 1)).hasMessageContaining("not shared by one page");
    assertThatThrownBy(() -> host.makePrivate(held, 0, 1)).hasMessageContaining("not shared by one page");
    assertThatThrownBy(() -> host.give(free, 1, 0))
        .hasMessage("frame table: host frame 7 given to vm b page 0 but it is free");
    assertThatThrownBy(() -> host.give(s, 1, 0)).hasMessageContaining("but it is shared by 1");
    assertThatThrownBy(() -> host.give(held, 1, 0)).hasMessageContaining("but it is held by t1, shared by 1");
    assertThatThrownBy(() -> host.take(s, 1))
        .hasMessage("frame table: host frame 1 taken by t1 but it is not private (shared by 1)");
    assertThatThrownBy(() -> host.take(held, 2)).hasMessageContaining("not private");
    assertThatThrownBy(() -> host.take(free, 2)).hasMessageContaining("not private (free)");
    assertThatThrownBy(() -> host.free(8)).hasMessage("frame table: no host frame 8 (the host has 8)");
    assertThatThrownBy(() -> host.free(-1)).hasMessage("frame table: no host frame -1 (the host has 8)");
    assertThatThrownBy(() -> host.give(8, 0, 0)).hasMessageContaining("no host frame 8");
    // Nothing refused changed anything.
    assertThat(host.privateTo(p, 0, 1)).isTrue();
    assertThat(host.sharers(s)).isEqualTo(1);
    assertThat(host.sharers(held)).isEqualTo(1);
    assertThat(host.heldFrames(1)).isEqualTo(1);
    assertThat(host.heldFrames(2)).isEqualTo(1);
    assertThat(host.sharedFrames()).isEqualTo(1);
    assertThat(host.freeFrames()).isEqualTo(4);
  }

  @Test
  void outOfRangeFramesAreNeitherShareableNorShared() {
    assertThat(host.shareable(-1)).isFalse();
    assertThat(host.shareable(8)).isFalse();
    assertThat(host.sharers(8)).isZero();
    assertThat(host.shareable(7)).isFalse();
    assertThat(host.describe(7)).isEqualTo("free");
  }

  @Test
  void largeBlocksComeFromTheTopOfMemoryAndAreBrokenOnlyWhenSmallFramesRunOut() {
    HostFrames h = frames(4 * HostFrames.BLOCK, 2);
    assertThat(h.largeBlocksFree()).isEqualTo(2);
    for (int f = 0; f < 2 * HostFrames.BLOCK; f++) {
      h.setContent(f, f + 1);
    }
    assertThat(h.freeFrames()).isEqualTo(4 * HostFrames.BLOCK);
    long big = h.allocateLarge(0, 1024);
    assertThat(big).isEqualTo(2 * HostFrames.BLOCK);
    assertThat(h.largeBlocksFree()).isEqualTo(1);
    assertThat(zeroedA.get()).isEqualTo(HostFrames.BLOCK);
    for (int i = 0; i < HostFrames.BLOCK; i++) {
      assertThat(h.privateTo(big + i, 0, 1024 + i)).isTrue();
    }
    for (int f = 0; f < 2 * HostFrames.BLOCK; f++) {
      assertThat(h.content(f)).as("frame %d below the block", f).isEqualTo(f + 1);
    }
    assertThat(h.freeFrames()).isEqualTo(3 * HostFrames.BLOCK);
    for (int i = 0; i < 2 * HostFrames.BLOCK; i++) {
      assertThat(h.allocate(1, i)).isEqualTo(i);
    }
    assertThat(h.largeBlocksFree()).isEqualTo(1);
    // Small frames gone: the last large block is broken, lowest frame first.
    assertThat(h.allocate(1, 5000)).isEqualTo(3 * HostFrames.BLOCK);
    assertThat(h.allocate(1, 5001)).isEqualTo(3 * HostFrames.BLOCK + 1);
    assertThat(h.allocate(1, 5002)).isEqualTo(3 * HostFrames.BLOCK + 2);
    h.free(3 * HostFrames.BLOCK + 2);
    h.free(3 * HostFrames.BLOCK + 1);
    assertThat(h.largeBlocksFree()).isZero();
    assertThat(h.freeFrames()).isEqualTo(HostFrames.BLOCK - 1);
    assertThat(h.allocateLarge(0, 0)).isEqualTo(HostMemory.NO_FRAME);
    // A large block's frames are freed one by one, into the small frames.
    h.free(big);
    assertThat(h.freeFrames()).isEqualTo(HostFrames.BLOCK);
    assertThat(h.largeBlocksFree()).isZero();
  }

  @Test
  void aLargeBlockReadsAsZerosWhateverItsFramesHeld() {
    HostFrames h = frames(4 * HostFrames.BLOCK, 2);
    for (int f = 2 * HostFrames.BLOCK; f < 4 * HostFrames.BLOCK; f++) {
      h.setContent(f, 99);
    }
    long big = h.allocateLarge(1, 0);
    for (int i = 0; i < HostFrames.BLOCK; i++) {
      assertThat(h.content(big + i)).as("frame %d of the block", i).isZero();
    }
  }

  @Test
  void theTableIsMadeInChunksAsFramesAreFirstUsed() {
    HostFrames h = frames(8 * HostFrames.BLOCK, 1);
    assertThat(h.tableBytes()).isZero();
    long f = h.allocate(0, 5);
    // A private frame: its holder and tag chunks; its content is zeros, which no chunk needs.
    assertThat(h.tableBytes()).isEqualTo(HostFrames.BLOCK * (4L + 4L));
    h.setContent(f, 7);
    assertThat(h.tableBytes()).isEqualTo(HostFrames.BLOCK * (4L + 4L + 8L));
    // Another frame of the same 2 MiB: nothing more.
    h.setContent(h.allocate(0, 6), 8);
    assertThat(h.tableBytes()).isEqualTo(HostFrames.BLOCK * 16L);
    h.allocateLarge(1, 0);
    assertThat(h.tableBytes()).isEqualTo(HostFrames.BLOCK * (16L + 8L));
  }

  @Test
  void aSecondLargeAllocationTakesTheNextBlockDown() {
    HostFrames h = frames(4 * HostFrames.BLOCK, 2);
    assertThat(h.allocateLarge(0, 0)).isEqualTo(2 * HostFrames.BLOCK);
    assertThat(h.allocateLarge(1, 0)).isEqualTo(3 * HostFrames.BLOCK);
    assertThat(zeroedB.get()).isEqualTo(HostFrames.BLOCK);
    assertThat(h.allocateLarge(1, 512)).isEqualTo(HostMemory.NO_FRAME);
    assertThat(h.freeFrames()).isEqualTo(2 * HostFrames.BLOCK);
  }

  @Test
  void impossibleSizesAreRefused() {
    assertThatThrownBy(() -> frames(HostFrames.BLOCK, 2)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("more large blocks than host memory");
    assertThatThrownBy(() -> frames(HostFrames.BLOCK, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> frames(Integer.MAX_VALUE + 1L, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("at most 2147483647 host frames");
    assertThat(HostFrames.indexable(Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    assertThat(frames(HostFrames.BLOCK, 1).freeFrames()).isEqualTo(HostFrames.BLOCK);
  }

  @Test
  void theStateFollowsFreeMemoryWithHysteresis() {
    HostFrames h = frames(100, 0);
    assertThat(h.thresholdFrames(HostMemoryState.HIGH)).isEqualTo(6);
    assertThat(h.thresholdFrames(HostMemoryState.SOFT)).isEqualTo(4);
    assertThat(h.thresholdFrames(HostMemoryState.HARD)).isEqualTo(2);
    assertThat(h.thresholdFrames(HostMemoryState.LOW)).isEqualTo(1);
    for (int i = 0; i < 97; i++) {
      h.allocate(0, i);
    }
    assertThat(h.state()).isEqualTo(HostMemoryState.SOFT);
    h.allocate(0, 97);
    h.allocate(0, 98);
    assertThat(h.state()).isEqualTo(HostMemoryState.HARD);
    h.free(0);
    h.free(1);
    assertThat(h.state()).as("3 free: not yet past SOFT's threshold").isEqualTo(HostMemoryState.HARD);
    h.free(2);
    assertThat(h.state()).isEqualTo(HostMemoryState.SOFT);
    h.free(3);
    assertThat(h.state()).as("5 free: not yet past HIGH's threshold").isEqualTo(HostMemoryState.SOFT);
    h.free(4);
    assertThat(h.state()).isEqualTo(HostMemoryState.HIGH);
  }

  @Test
  void aHostOfOddSizeRoundsThresholdsUp() {
    HostFrames h = frames(10, 0);
    assertThat(h.thresholdFrames(HostMemoryState.HIGH)).isEqualTo(1);
    assertThat(h.thresholdFrames(HostMemoryState.LOW)).isEqualTo(1);
  }

  /** Technique ids are whatever the caller gives, the first one included: its frames are held like any other's. */
  @Test
  void theFirstTechniqueIdHoldsFramesLikeAnyOther() {
    long z = host.allocateHeld(0);
    assertThat(host.held(z)).isTrue();
    assertThat(host.shareable(z)).isTrue();
    assertThat(host.holder(z)).isNotEqualTo(HostFrames.SHARED).isNotEqualTo(HostFrames.FREE).isNegative();
    assertThat(host.describe(z)).isEqualTo("held by t0, shared by 0");
    host.addSharer(z);
    assertThat(host.sharers(z)).isEqualTo(1);
    assertThatThrownBy(() -> host.free(z)).hasMessageContaining("freed while 1 guest pages share it");
    assertThatThrownBy(() -> host.give(z, 0, 1)).hasMessageContaining("but it is held by t0, shared by 1");
    assertThat(host.dropSharer(z)).isZero();
    assertThat(host.holder(z)).as("not freed with its last sharer").isNotEqualTo(HostFrames.FREE);
    assertThat(host.heldFrames(0)).isEqualTo(1);
    host.give(z, 0, 1);
    assertThat(host.heldFrames(0)).isZero();
    assertThat(host.privateTo(z, 0, 1)).isTrue();
    host.take(z, 0);
    assertThat(host.heldFrames(0)).isEqualTo(1);
    host.free(z);
    assertThat(host.heldFrames(0)).isZero();
    assertThat(host.freeFrames()).isEqualTo(8);
  }

  @Test
  void unnamedHoldersAreNumbered() {
    HostFrames h = new HostFrames(8, 0, FreeMemoryThresholds.ESX, List.of(zeroedA, zeroedB), zeroedHost);
    long p = h.allocate(1, 3);
    long t = h.allocateHeld(2);
    assertThat(h.describe(p)).isEqualTo("private to vm1 guest page 3");
    assertThat(h.describe(t)).isEqualTo("held by technique 2, shared by 0");
  }

  /** Memory not a whole number of 2 MiB blocks: small frames below the large pool and above it. */
  @Test
  void smallFramesLieOnBothSidesOfTheLargePool() {
    HostFrames h = frames(4 * HostFrames.BLOCK + 100, 2);
    assertThat(h.freeFrames()).isEqualTo(4 * HostFrames.BLOCK + 100);
    for (int i = 0; i < 2 * HostFrames.BLOCK; i++) {
      assertThat(h.allocate(0, i)).isEqualTo(i);
    }
    assertThat(h.freeFrames()).isEqualTo(2 * HostFrames.BLOCK + 100);
    assertThat(h.allocate(0, 5000)).as("past the pool").isEqualTo(4 * HostFrames.BLOCK);
    assertThat(h.freeFrames()).isEqualTo(2 * HostFrames.BLOCK + 99);
    for (int i = 1; i < 100; i++) {
      h.allocate(0, 5000 + i);
    }
    assertThat(h.freeFrames()).isEqualTo(2 * HostFrames.BLOCK);
    assertThat(h.largeBlocksFree()).isEqualTo(2);
    assertThat(h.allocate(1, 1)).as("then the pool is broken").isEqualTo(2 * HostFrames.BLOCK);
  }
}
