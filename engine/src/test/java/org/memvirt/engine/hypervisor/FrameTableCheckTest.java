package org.memvirt.engine.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.engine.host.FrameTableViolation;
import org.memvirt.engine.host.HostFrames;
import org.memvirt.engine.run.Machines;
import org.memvirt.engine.run.Simulation;
import org.memvirt.engine.vm.P2mTable;
import org.memvirt.engine.vm.VirtualMachine;
import org.memvirt.testkit.HandSwapper;

/**
 * The frame-table invariant finds each kind of broken state, planted by hand in a running,
 * overcommitted machine (a swapper holding pages of two VMs), and names it: the page or
 * frame, what it is, and what was expected. A healthy machine passes. Shared entries are
 * planted as held by a second technique driven by hand, which is told of each.
 */
class FrameTableCheckTest {
  private static final String MACHINE = """
      duration: 2s
      host: {memory: 48MiB, reclaim_period: 100ms}
      vms:
        - {name: a, memory: 32MiB, processes: [{workload: {type: uniform, footprint: 24MiB, writes: 0.5, rate: 200K/s}}]}
        - {name: b, memory: 32MiB, processes: [{workload: {type: uniform, footprint: 24MiB, writes: 0.5, rate: 200K/s}}]}
      policy: {type: equal, fraction: 0.9}
      reclaim:
        toy-swap: {}
        toy-hand: {}
      """;

  private Simulation sim;
  private HostFrames host;
  private P2mTable a;
  private P2mTable b;

  @BeforeEach
  void anOvercommittedMachineAtOneSecond() {
    sim = Machines.simulation(MACHINE);
    sim.advanceTo(1_000_000_000L);
    host = sim.host();
    a = sim.vms().get(0).p2m();
    b = sim.vms().get(1).p2m();
  }

  /** Page {@code gppn} of vm {@code vm} maps {@code frame} shared, held by the hand-driven technique. */
  private void share(int vm, long gppn, long frame) {
    Technique hand = sim.hypervisor().techniques().get(1);
    VirtualMachine v = sim.vms().get(vm);
    v.p2m().set(gppn, P2mEntry.of(P2mEntry.SHARED, frame, 2));
    ((HandSwapper) hand.reclaimer).madeByHand(hand.view(v), gppn);
  }

  /** The first page of {@code p2m} in {@code state}. */
  private static long first(P2mTable p2m, int state) {
    for (long g = 0; g < p2m.pages(); g++) {
      if (P2mEntry.state(p2m.get(g)) == state) {
        return g;
      }
    }
    throw new AssertionError("no page in state " + P2mEntry.stateName(state));
  }

  private static long second(P2mTable p2m, int state) {
    for (long g = first(p2m, state) + 1; g < p2m.pages(); g++) {
      if (P2mEntry.state(p2m.get(g)) == state) {
        return g;
      }
    }
    throw new AssertionError("one page only in state " + P2mEntry.stateName(state));
  }

  private void assertViolation(String message) {
    assertThatThrownBy(sim::checkFrameTable).isInstanceOf(FrameTableViolation.class)
        .hasMessage("frame table: " + message);
  }

  @Test
  void aHealthyOvercommittedMachinePasses() {
    assertThat(a.statePages(P2mEntry.SWAPPED) + b.statePages(P2mEntry.SWAPPED)).isPositive();
    assertThat(host.freeFrames()).isPositive();
    assertThatCode(sim::checkFrameTable).doesNotThrowAnyException();
    sim.advanceTo(2_000_000_000L);
    assertThatCode(sim::checkFrameTable).doesNotThrowAnyException();
  }

  @Test
  void anEntryHeldByNoTechnique() {
    long g = first(a, P2mEntry.SWAPPED);
    a.set(g, P2mEntry.of(P2mEntry.SWAPPED, P2mEntry.value(a.get(g)), 3));
    assertViolation("vm a guest page " + g + " is held by owner id 3, which no technique has");
  }

  @Test
  void anEntryItsTechniqueDoesNotKnow() {
    long g = first(b, P2mEntry.SWAPPED);
    b.set(g, P2mEntry.of(P2mEntry.SWAPPED, 1L << 40, 1));
    assertViolation("vm b guest page " + g + " is swapped held by reclaim technique toy-swap, which does not know "
        + "of it (a lost page)");
  }

  @Test
  void aSharedEntryWithNoHolder() {
    long g = first(a, P2mEntry.MAPPED);
    long f = P2mEntry.value(a.get(g));
    host.share(f);
    a.set(g, P2mEntry.of(P2mEntry.SHARED, f, 0));
    assertViolation("vm a guest page " + g + " is shared with no technique holding it");
  }

  @Test
  void aHeldStateWithNoHolder() {
    long g = first(a, P2mEntry.SWAPPED);
    a.set(g, P2mEntry.of(P2mEntry.BALLOONED, 0, 0));
    assertViolation("vm a guest page " + g + " is ballooned with no technique holding it");
  }

  @Test
  void theStatesTheEngineHoldsNeedNoHolder() {
    long g = first(a, P2mEntry.SWAPPED);
    long slot = P2mEntry.value(a.get(g));
    a.set(g, P2mEntry.of(P2mEntry.ZERO, 0, 0));
    assertThatCode(sim::checkFrameTable).doesNotThrowAnyException();
    a.set(g, P2mEntry.of(P2mEntry.UNBACKED, 0, 0));
    assertThatCode(sim::checkFrameTable).doesNotThrowAnyException();
    a.set(g, P2mEntry.of(P2mEntry.COMPRESSED, slot, 0));
    assertViolation("vm a guest page " + g + " is compressed with no technique holding it");
  }

  @Test
  void aFrameBeyondTheHost() {
    long g = first(a, P2mEntry.MAPPED);
    long f = P2mEntry.value(a.get(g));
    share(0, g, host.totalFrames());
    host.free(f);
    assertViolation("vm a guest page " + g + " maps host frame " + host.totalFrames() + ", which does not exist");
  }

  @Test
  void aWritableMappingOfAnotherPagesFrame() {
    long g = first(a, P2mEntry.MAPPED);
    long other = second(a, P2mEntry.MAPPED);
    long f = P2mEntry.value(a.get(g));
    long theirs = P2mEntry.value(a.get(other));
    a.set(g, P2mEntry.mapped(theirs));
    host.free(f);
    assertViolation("vm a guest page " + g + " maps host frame " + theirs + " writable, but the frame is private to "
        + "vm a guest page " + other);
  }

  @Test
  void aWritableMappingOfAnotherVmsFrame() {
    long g = first(b, P2mEntry.MAPPED);
    long f = P2mEntry.value(b.get(g));
    long mine = first(a, P2mEntry.MAPPED);
    long theirs = P2mEntry.value(a.get(mine));
    // The same page number in the other VM: only the VM tells them apart.
    b.set(g, P2mEntry.of(P2mEntry.UNBACKED, 0, 0));
    host.free(f);
    b.set(mine, P2mEntry.mapped(theirs));
    assertViolation("vm b guest page " + mine + " maps host frame " + theirs + " writable, but the frame is private "
        + "to vm a guest page " + mine);
  }

  @Test
  void aSharedMappingOfAPrivateFrame() {
    long g = first(a, P2mEntry.MAPPED);
    long f = P2mEntry.value(a.get(g));
    share(0, g, f);
    assertViolation("vm a guest page " + g + " maps host frame " + f + " shared, but the frame is private to vm a "
        + "guest page " + g);
  }

  @Test
  void aPrivateFrameNoPageMaps() {
    long g = first(a, P2mEntry.MAPPED);
    long f = P2mEntry.value(a.get(g));
    a.set(g, P2mEntry.of(P2mEntry.UNBACKED, 0, 0));
    assertViolation("host frame " + f + " is private to vm a guest page " + g + ", which no longer maps it: it is "
        + "unbacked (a leaked frame)");
  }

  @Test
  void aLeakedFrameNamesWhatItsPageIsNow() {
    long swapped = first(a, P2mEntry.SWAPPED);
    long frame = host.allocate(0, swapped);
    assertViolation("host frame " + frame + " is private to vm a guest page " + swapped + ", which no longer maps it: "
        + "it is swapped, held by reclaim technique toy-swap (a leaked frame)");
    host.free(frame);
    assertThatCode(sim::checkFrameTable).doesNotThrowAnyException();
  }

  @Test
  void aLeakedFrameNamesTheLastTechniqueToo() {
    long g = first(a, P2mEntry.MAPPED);
    Technique hand = sim.hypervisor().techniques().get(1);
    ((HandSwapper) hand.reclaimer).swapOut(hand.view(sim.vms().get(0)), g);
    long frame = host.allocate(0, g);
    assertViolation("host frame " + frame + " is private to vm a guest page " + g + ", which no longer maps it: "
        + "it is swapped, held by reclaim technique toy-hand (a leaked frame)");
  }

  @Test
  void aSharedFrameWithTooManySharers() {
    long g = first(a, P2mEntry.MAPPED);
    long f = P2mEntry.value(a.get(g));
    host.share(f);
    share(0, g, f);
    assertThatCode(sim::checkFrameTable).doesNotThrowAnyException();
    host.addSharer(f);
    assertViolation("host frame " + f + " is shared by 2 but 1 guest pages map it (a reference count off by 1)");
  }

  @Test
  void aSharedFrameWithTooFewSharers() {
    long g = first(a, P2mEntry.MAPPED);
    long other = second(a, P2mEntry.MAPPED);
    long f = P2mEntry.value(a.get(g));
    long otherFrame = P2mEntry.value(a.get(other));
    host.share(f);
    share(0, g, f);
    share(0, other, f);
    host.free(otherFrame);
    assertViolation("host frame " + f + " is shared by 1 but 2 guest pages map it (a reference count off by -1)");
  }

  @Test
  void aHeldFrameMappedWithoutASharer() {
    long g = first(a, P2mEntry.MAPPED);
    long f = P2mEntry.value(a.get(g));
    long held = host.allocateHeld(1);
    share(0, g, held);
    host.free(f);
    assertViolation("host frame " + held + " is held by reclaim technique toy-swap, shared by 0 but 1 guest pages "
        + "map it (a reference count off by -1)");
    host.addSharer(held);
    assertThatCode(sim::checkFrameTable).doesNotThrowAnyException();
    host.addSharer(held);
    assertViolation("host frame " + held + " is held by reclaim technique toy-swap, shared by 2 but 1 guest pages "
        + "map it (a reference count off by 1)");
  }

  @Test
  void aHeldFrameNoPageMapsIsNotALeak() {
    host.allocateHeld(1);
    assertThatCode(sim::checkFrameTable).doesNotThrowAnyException();
  }
}
