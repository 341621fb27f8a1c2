package org.memvirt.engine.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memvirt.api.memory.HostMemory;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.engine.host.FrameTableViolation;
import org.memvirt.engine.host.HostFrames;
import org.memvirt.engine.run.Machines;
import org.memvirt.engine.run.Simulation;
import org.memvirt.engine.vm.VirtualMachine;
import org.memvirt.testkit.HandSwapper;

/**
 * A VM and host memory as one technique, or the policy, sees them in a running machine: the
 * view reads the engine's state through, acts on it under the technique's id, and refuses
 * every change of a policy.
 */
class TechniqueViewTest {
  private static final String MACHINE = """
      duration: 1s
      host: {memory: 64MiB}
      vms:
        - {name: a, memory: 32MiB, min: 4MiB, shares: 3000, processes: [{workload: {type: uniform, footprint: 8MiB, writes: 0.5, rate: 200K/s}}]}
      reclaim:
        toy-hand: {}
      """;

  private Simulation sim;
  private VirtualMachine vm;
  private Technique hand;
  private TechniqueView view;
  private TechniqueView policyView;
  private TechniqueHost policyHost;

  @BeforeEach
  void aRunningMachine() {
    sim = Machines.simulation(MACHINE);
    sim.advanceTo(200_000_000L);
    vm = sim.vms().get(0);
    hand = sim.hypervisor().techniques().get(0);
    view = hand.view(vm);
    policyView = new TechniqueView(vm, sim.hypervisor(), TechniqueView.POLICY, "allocation policy p");
    policyHost = new TechniqueHost(sim.hypervisor(), TechniqueView.POLICY, "allocation policy p");
  }

  private long firstMapped() {
    for (long g = 0; g < vm.pages(); g++) {
      long e = vm.p2m().get(g);
      if (P2mEntry.state(e) == P2mEntry.MAPPED && P2mEntry.value(e) != 0) {
        return g;
      }
    }
    throw new AssertionError("nothing mapped");
  }

  @Test
  void theViewReadsTheVmThrough() {
    assertThat(view.name()).isEqualTo("a");
    assertThat(view.index()).isZero();
    assertThat(view.pages()).isEqualTo(8192);
    assertThat(view.minPages()).isEqualTo(1024);
    assertThat(view.maxPages()).isEqualTo(vm.maxPages()).isEqualTo(8192);
    assertThat(view.backedPages()).isEqualTo(vm.backedPages()).isPositive();
    assertThat(view.statePages(P2mEntry.MAPPED)).isEqualTo(vm.p2m().statePages(P2mEntry.MAPPED)).isPositive();
    assertThat(view.statePages(-1)).isZero();
    assertThat(view.statePages(P2mEntry.STATES)).isZero();
    assertThat(view.statePages(P2mEntry.STATES - 1)).isZero();
    assertThat(view.statePages(P2mEntry.UNBACKED)).isEqualTo(vm.p2m().statePages(P2mEntry.UNBACKED)).isPositive();
    assertThat(view.shares()).isEqualTo(3000);
    // An entry in no known state (written past the contract) is counted in none.
    long g = firstMapped();
    long e = vm.p2m().get(g);
    vm.p2m().set(g, P2mEntry.of(P2mEntry.STATES, 0, 0));
    assertThat(view.statePages(P2mEntry.STATES)).isZero();
    vm.p2m().set(g, e);
    view.setActivePages(77);
    assertThat(view.activePages()).isEqualTo(77);
    assertThat(vm.activePages()).isEqualTo(77);
    view.setTargetPages(5000);
    assertThat(view.targetPages()).isEqualTo(5000);
    assertThat(view.consumedPages()).isEqualTo(vm.backedPages());
    assertThat(view.settings()).isNotNull();
    assertThat(view.guest()).isSameAs(vm.kernel().memory());
    assertThat(view.p2m()).isSameAs(view);
  }

  @Test
  void aWalkMarkIsSeenByBothReaders() {
    long g = firstMapped();
    view.clearAccessed(g);
    policyView.clearAccessed(g);
    assertThat(P2mEntry.accessed(view.get(g))).isFalse();
    assertThat(P2mEntry.accessed(policyView.get(g))).isFalse();
    view.markAccessed(g);
    assertThat(P2mEntry.accessed(view.get(g))).isTrue();
    assertThat(P2mEntry.accessed(policyView.get(g))).isTrue();
    // The policy clearing its bit leaves the technique's.
    policyView.clearAccessed(g);
    assertThat(P2mEntry.accessed(view.get(g))).isTrue();
  }

  @Test
  void aReleaseAnswersWhatTheHolderSaid() {
    long g = firstMapped();
    assertThat(view.requestRelease(g, true)).as("an engine page is free to take").isTrue();
    HandSwapper swapper = (HandSwapper) hand.reclaimer;
    swapper.swapOut(view, g);
    assertThat(P2mEntry.owner(vm.p2m().get(g))).isEqualTo(1);
    assertThat(view.requestRelease(g, true)).isTrue();
    assertThat(P2mEntry.state(vm.p2m().get(g))).isEqualTo(P2mEntry.MAPPED);
  }

  @Test
  void aReleaseTheHolderRefusesIsRefused() {
    Simulation swapping = Machines.simulation(MACHINE.replace("toy-hand: {}", "toy-hand: {}\n  toy-balloon: {}"));
    swapping.advanceTo(200_000_000L);
    VirtualMachine v = swapping.vms().get(0);
    Technique hand = swapping.hypervisor().techniques().get(0);
    long g = -1;
    for (long p = 0; p < v.pages() && g < 0; p++) {
      if (P2mEntry.state(v.p2m().get(p)) == P2mEntry.MAPPED) {
        g = p;
      }
    }
    // The balloon takes the page; it releases nothing it holds.
    Technique balloon = swapping.hypervisor().techniques().get(1);
    long frame = P2mEntry.value(v.p2m().get(g));
    balloon.view(v).set(g, P2mEntry.of(P2mEntry.BALLOONED, 0, 2));
    balloon.host.free(frame);
    assertThat(hand.view(v).requestRelease(g, false)).isFalse();
    assertThat(P2mEntry.state(v.p2m().get(g))).isEqualTo(P2mEntry.BALLOONED);
  }

  @Test
  void aTouchBacksThePageAndReturnsItsFrame() {
    long g = firstMapped();
    HandSwapper swapper = (HandSwapper) hand.reclaimer;
    swapper.swapOut(view, g);
    long frame = view.touch(g);
    assertThat(frame).isNotEqualTo(HostMemory.NO_FRAME);
    assertThat(P2mEntry.value(vm.p2m().get(g))).isEqualTo(frame);
    assertThat(sim.host().privateTo(frame, 0, g)).isTrue();
  }

  @Test
  void aTechniquesHostActsUnderItsId() {
    HostMemory host = hand.host;
    HostFrames frames = sim.host();
    assertThat(host.freeFrames()).isEqualTo(frames.freeFrames()).isPositive();
    assertThat(host.totalFrames()).isEqualTo(16384);
    long held = host.allocateHeld();
    assertThat(frames.held(held)).isTrue();
    assertThat(host.heldFrames()).isEqualTo(1);
    host.give(held, 0, 8000);
    assertThat(frames.privateTo(held, 0, 8000)).isTrue();
    assertThat(host.heldFrames()).isZero();
    host.take(held);
    assertThat(host.heldFrames()).isEqualTo(1);
    assertThatThrownBy(() -> host.take(held))
        .isInstanceOf(FrameTableViolation.class)
        .hasMessageStartingWith("frame table: reclaim technique toy-hand: host frame " + held + " taken by");
    host.free(held);
    assertThat(host.heldFrames()).isZero();
    long mine = host.allocate(0, 8001);
    assertThat(frames.privateTo(mine, 0, 8001)).isTrue();
    host.share(mine);
    assertThat(host.sharers(mine)).isEqualTo(1);
    host.addSharer(mine);
    assertThat(host.sharers(mine)).isEqualTo(2);
    assertThat(host.dropSharer(mine)).isEqualTo(1);
    host.makePrivate(mine, 0, 8001);
    assertThat(frames.privateTo(mine, 0, 8001)).isTrue();
    host.free(mine);
    assertThat(host.state()).isEqualTo(frames.state());
    assertThat(host.thresholdFrames(org.memvirt.api.memory.HostMemoryState.SOFT))
        .isEqualTo(frames.thresholdFrames(org.memvirt.api.memory.HostMemoryState.SOFT)).isEqualTo(656);
    assertThat(host.content(held)).isZero();
  }

  @Test
  void aPolicyMayReadButNeverChangeHostMemoryOrTheP2m() {
    long g = firstMapped();
    assertThat(policyHost.freeFrames()).isEqualTo(sim.host().freeFrames());
    assertThat(policyHost.heldFrames()).isZero();
    long free = sim.host().freeFrames();
    for (Runnable change : new Runnable[] {() -> policyHost.allocate(0, 8000), policyHost::allocateHeld,
        () -> policyHost.free(1), () -> policyHost.share(1), () -> policyHost.addSharer(1),
        () -> policyHost.dropSharer(1), () -> policyHost.makePrivate(1, 0, 1), () -> policyHost.give(1, 0, 1),
        () -> policyHost.take(1)}) {
      assertThatThrownBy(change::run).isInstanceOf(FrameTableViolation.class)
          .hasMessage("frame table: allocation policy p changed host memory; a policy may only read it");
    }
    assertThat(sim.host().freeFrames()).isEqualTo(free);
    assertThatThrownBy(() -> policyView.set(g, 0)).isInstanceOf(FrameTableViolation.class)
        .hasMessageContaining("a policy may only read and sample it");
  }
}
