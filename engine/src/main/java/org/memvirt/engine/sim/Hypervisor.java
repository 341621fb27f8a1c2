package org.memvirt.engine.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.memvirt.api.memory.HostMemory;
import org.memvirt.api.memory.HostMemoryState;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.FaultCause;
import org.memvirt.engine.config.Units;
import org.memvirt.engine.machine.FrameTableViolation;
import org.memvirt.engine.machine.HostFrames;

/**
 * The host side of memory virtualization: backs guest pages on nested faults, hands faults
 * on pages a technique holds back to that technique (with their cause), passes release
 * requests between techniques, keeps every VM within its limit and above its reservation,
 * and drives reclamation from the host's free-memory state.
 */
final class Hypervisor {
  /** Frames asked of reclaimers at once when an allocation finds none free or a VM at its limit. */
  private static final long RECLAIM_BATCH = 64;

  private final HostFrames host;
  private final SimClock clock;
  private final List<VirtualMachine> vms = new ArrayList<>();
  private final List<Technique> techniques = new ArrayList<>();
  /** Techniques, mildest state first (ESX: balloon in soft before swap in hard). */
  private List<Technique> mildestFirst = List.of();
  private int limitDepth;
  /** Whether an allocation policy sets the VMs' targets (else reclamation follows the shortfall). */
  private boolean policySetsTargets;
  private static final int MAX_PRESSURE_DEPTH = 3;
  private int pressureDepth;
  /** Pages whose holder is handling a fault or a release now, innermost last. */
  private final int[] busyVm = new int[64];
  private final long[] busyGppn = new long[64];
  private int busyDepth;

  Hypervisor(HostFrames host, SimClock clock) {
    this.host = host;
    this.clock = clock;
    host.names(vm -> "vm " + vms.get(vm).name(), this::techniqueName);
  }

  HostFrames host() {
    return host;
  }

  void addVm(VirtualMachine vm) {
    vms.add(vm);
  }

  VirtualMachine vm(int index) {
    return vms.get(index);
  }

  /** Registers a technique; its owner id in P2M entries is its position + 1. */
  Technique addTechnique(String name) {
    int id = techniques.size() + 1;
    if (id > P2mEntry.MAX_OWNER) {
      throw new org.memvirt.engine.config.ExperimentException("reclaim: at most " + P2mEntry.MAX_OWNER + " techniques");
    }
    Technique t = new Technique(name, id, this, vms);
    techniques.add(t);
    return t;
  }

  /** Called once every technique has its reclaimer. */
  void techniquesReady() {
    mildestFirst = new ArrayList<>(techniques);
    mildestFirst.sort(Comparator.comparingInt(t -> t.reclaimer.actsFrom().ordinal()));
  }

  /** An allocation policy sets the VMs' targets from now on. */
  void policySetsTargets() {
    policySetsTargets = true;
  }

  List<Technique> techniques() {
    return techniques;
  }

  /** How messages name the technique with owner id {@code id}. */
  String techniqueName(int id) {
    return id >= 1 && id <= techniques.size() ? techniques.get(id - 1).label() : "an unknown technique (id " + id + ")";
  }

  // ---- faults ---------------------------------------------------------------------------

  /**
   * Makes {@code gppn} of {@code vm} usable for {@code cause} and returns its frame.
   * Callers count the fault (an EPT violation, a hidden fault, ...).
   */
  long resolveNestedFault(VirtualMachine vm, long gppn, FaultCause cause) {
    busy(vm, gppn);
    try {
      makeUsable(vm, gppn, cause);
    } finally {
      busyDepth--;
    }
    long e = vm.p2m().get(gppn);
    if (!usable(e, cause) && host.freeFrames() == 0) {
      throw new MemoryExhausted(String.format("host out of memory at %.3f s: %s could not get a frame to give vm %s "
          + "guest page %d back, and %s", clock.nanos() / 1e9, techniqueName(P2mEntry.owner(e)), vm.name(), gppn,
          nothingFreed(vms)));
    }
    if (!usable(e, cause)) {
      throw new FrameTableViolation(techniqueName(P2mEntry.owner(e)) + " left vm " + vm.name() + " guest page " + gppn
          + " " + P2mEntry.stateName(P2mEntry.state(e)) + " after a " + cause.name().toLowerCase() + " fault");
    }
    return P2mEntry.value(e);
  }

  /**
   * Backs an unbacked page, or hands the fault to the page's holder. The page is busy
   * meanwhile: when an allocation on the way makes techniques reclaim, none may take it.
   */
  private void makeUsable(VirtualMachine vm, long gppn, FaultCause cause) {
    P2mTable p2m = vm.p2m();
    long e = p2m.get(gppn);
    int state = P2mEntry.state(e);
    long base = gppn & ~(HostFrames.BLOCK - 1L);
    if (state == P2mEntry.UNBACKED && host.largeBlocksFree() > 0 && p2m.blockUnbacked(base)
        && vm.backedPages() + HostFrames.BLOCK <= vm.maxPages()) {
      // hugetlbfs-style backing: a whole unbacked 2 MiB block gets one 2 MiB host page.
      p2m.mapLarge(base, host.allocateLarge(vm.index(), base));
    } else if (P2mEntry.owner(e) == 0 && (state == P2mEntry.UNBACKED || state == P2mEntry.ZERO)) {
      long hppn = allocate(vm, gppn);
      p2m.set(gppn, P2mEntry.mapped(hppn));
    } else if (!usable(e, cause)) {
      Technique holder = holder(vm, gppn, e);
      holder.reclaimer.fault(holder.view(vm), gppn, p2m.forTechniques(gppn), cause);
    }
  }

  private void busy(VirtualMachine vm, long gppn) {
    if (busyDepth == busyVm.length) {
      throw new IllegalStateException("faults nested " + busyDepth + " deep: techniques keep faulting each other");
    }
    busyVm[busyDepth] = vm.index();
    busyGppn[busyDepth++] = gppn;
  }

  private boolean isBusy(VirtualMachine vm, long gppn) {
    for (int i = 0; i < busyDepth; i++) {
      if (busyVm[i] == vm.index() && busyGppn[i] == gppn) {
        return true;
      }
    }
    return false;
  }

  /** Tells every technique of a guest kernel's whole-page operation (what a hypervisor sees of it). */
  void guestPageOperation(VirtualMachine vm, long gppn, FaultCause cause) {
    for (int i = 0; i < techniques.size(); i++) {
      Technique t = techniques.get(i);
      t.reclaimer.guestPageOperation(t.view(vm), gppn, cause);
    }
  }

  private static boolean usable(long entry, FaultCause cause) {
    return cause.write() ? P2mEntry.writable(entry) : P2mEntry.readable(entry);
  }

  private Technique holder(VirtualMachine vm, long gppn, long e) {
    int owner = P2mEntry.owner(e);
    if (owner == 0 || owner > techniques.size()) {
      throw new FrameTableViolation("vm " + vm.name() + " guest page " + gppn + " is "
          + P2mEntry.stateName(P2mEntry.state(e)) + " with no technique holding it");
    }
    return techniques.get(owner - 1);
  }

  /**
   * {@code requester} wants {@code gppn}: true when its entry is the engine's (owner 0),
   * already or after its holder released it.
   */
  boolean requestRelease(VirtualMachine vm, long gppn, boolean keepContent, String requester) {
    if (isBusy(vm, gppn)) {
      // A fault on it is under way (its allocation made techniques reclaim): the requester
      // must choose another page.
      return false;
    }
    long e = vm.p2m().get(gppn);
    if (P2mEntry.owner(e) == 0) {
      return true;
    }
    Technique holder = holder(vm, gppn, e);
    busy(vm, gppn);
    try {
      if (!holder.reclaimer.release(holder.view(vm), gppn, vm.p2m().forTechniques(gppn), keepContent)) {
        return false;
      }
    } finally {
      busyDepth--;
    }
    long now = vm.p2m().get(gppn);
    int state = P2mEntry.state(now);
    if (P2mEntry.owner(now) != 0 || !(state == P2mEntry.MAPPED || (!keepContent && state == P2mEntry.UNBACKED))) {
      throw new FrameTableViolation(holder.label() + " said it released vm " + vm.name() + " guest page " + gppn
          + " to " + requester + " but left it " + P2mEntry.stateName(state) + " (owner "
          + P2mEntry.owner(now) + "); expected mapped" + (keepContent ? "" : " or unbacked") + " with owner 0");
    }
    return true;
  }

  /**
   * The technique with id {@code requester} wants shared page {@code gppn}'s frame whole:
   * its holder hands every mapping to {@code taker}, each checked as it goes (handed as
   * the engine's shared entry, taken with the requester's id and one share less), and the
   * frame must be gone at the end.
   */
  boolean requestReleaseShared(VirtualMachine vm, long gppn, org.memvirt.api.reclaim.SharedFrameTaker taker,
      int requester, String requesterName) {
    if (isBusy(vm, gppn)) {
      return false;
    }
    long e = vm.p2m().get(gppn);
    int holderId = P2mEntry.owner(e);
    if (P2mEntry.state(e) != P2mEntry.SHARED || holderId == 0 || holderId == requester
        || host.held(P2mEntry.value(e))) {
      return false;
    }
    Technique holder = holder(vm, gppn, e);
    long frame = P2mEntry.value(e);
    long[] handed = {0};
    org.memvirt.api.reclaim.SharedFrameTaker checked = (v, g, f) -> {
      VirtualMachine w = vms.get(v);
      long before = w.p2m().get(g);
      if (f != frame || P2mEntry.state(before) != P2mEntry.SHARED || P2mEntry.owner(before) != 0
          || P2mEntry.value(before) != frame) {
        throw new FrameTableViolation(holder.label() + " handed vm " + w.name() + " guest page " + g + " of frame "
            + f + " to " + requesterName + " as " + P2mEntry.stateName(P2mEntry.state(before)) + " (owner "
            + P2mEntry.owner(before) + "); expected shared frame " + frame + " with owner 0");
      }
      long sharers = host.sharers(frame);
      taker.take(v, g, f);
      long after = w.p2m().get(g);
      if (P2mEntry.owner(after) != requester || (sharers > 1 && host.sharers(frame) != sharers - 1)) {
        throw new FrameTableViolation(requesterName + " did not take vm " + w.name() + " guest page " + g
            + " of shared frame " + frame + ": left it " + P2mEntry.stateName(P2mEntry.state(after)) + " (owner "
            + P2mEntry.owner(after) + ") with " + host.sharers(frame) + " sharers on the frame");
      }
      handed[0]++;
    };
    boolean released;
    busy(vm, gppn);
    try {
      released = holder.reclaimer.releaseShared(holder.view(vm), gppn, vm.p2m().forTechniques(gppn), checked);
    } finally {
      busyDepth--;
    }
    if (released != (handed[0] > 0) || (released && host.sharers(frame) != 0)) {
      throw new FrameTableViolation(holder.label() + " " + (released ? "said it released" : "refused") + " shared frame "
          + frame + " of vm " + vm.name() + " guest page " + gppn + " to " + requesterName + " after handing over "
          + handed[0] + " pages, " + host.sharers(frame) + " sharers left");
    }
    return released;
  }

  // ---- allocation, limits and reclamation ---------------------------------------------

  /**
   * A zeroed host frame private to {@code gppn}: first within the VM's limit (reclaiming
   * from it when it is there), then from free memory (reclaiming from all VMs when none is
   * free). {@link HostMemory#NO_FRAME} if none can be had.
   */
  long tryAllocate(VirtualMachine vm, long gppn) {
    if (!P2mEntry.readable(vm.p2m().get(gppn)) && vm.backedPages() >= vm.maxPages() && !keepUnderLimit(vm)) {
      return HostMemory.NO_FRAME;
    }
    long hppn = host.allocate(vm.index(), gppn);
    if (hppn == HostMemory.NO_FRAME) {
      reclaimUnderPressure();
      hppn = host.allocate(vm.index(), gppn);
    }
    return hppn;
  }

  /** A zeroed frame held by technique {@code id}, reclaiming first if none is free. */
  long tryAllocateHeld(int id) {
    long hppn = host.allocateHeld(id);
    if (hppn == HostMemory.NO_FRAME) {
      reclaimUnderPressure();
      hppn = host.allocateHeld(id);
    }
    return hppn;
  }

  /** A zeroed host frame for {@code gppn}; the run stops, with its results so far, if none can be had. */
  long allocate(VirtualMachine vm, long gppn) {
    long hppn = tryAllocate(vm, gppn);
    if (hppn != HostMemory.NO_FRAME) {
      return hppn;
    }
    if (vm.backedPages() >= vm.maxPages()) {
      throw new MemoryExhausted(String.format(
          "vm %s reached its limit at %.3f s: max %s (%d pages) are backed and %s",
          vm.name(), clock.nanos() / 1e9, Units.formatBytes(vm.maxPages() << 12), vm.maxPages(),
          techniques.isEmpty() ? "no reclamation technique is configured (reclaim:) to keep it there"
              : nothingFreed(List.of(vm))));
    }
    throw new MemoryExhausted(String.format("host out of memory at %.3f s: all %s of host.memory are in use and %s",
        clock.nanos() / 1e9, Units.formatBytes(host.totalFrames() << 12), techniques.isEmpty()
            ? "no reclamation technique is configured; add reclamation (reclaim:) or host memory, or lower the VMs' "
                + "memory"
            : nothingFreed(vms) + "; add host memory, lower the VMs' memory, or add a technique that frees at once"));
  }

  /**
   * "the reclamation configured (swap, balloon) freed nothing from it: swap: vm a is at its
   * reservation; balloon: ...": what each technique says of why it freed nothing from
   * {@code from} (its first reason, and how many VMs gave others).
   */
  private String nothingFreed(List<VirtualMachine> from) {
    List<String> names = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (Technique t : techniques) {
      names.add(t.name);
      java.util.Set<String> said = new java.util.LinkedHashSet<>();
      for (VirtualMachine v : from) {
        String why = t.reclaimer.whyNothingFreed(t.view(v));
        if (why != null) {
          said.add(why);
        }
      }
      reasons.add(t.name + ": " + (said.isEmpty() ? "freed nothing, and says not why" : said.iterator().next()
          + (said.size() > 1 ? " (and " + (said.size() - 1) + " more such reasons)" : "")));
    }
    return "the reclamation configured (" + String.join(", ", names) + ") could free no frame"
        + (from.size() == 1 ? " of vm " + from.get(0).name() : "") + ": " + String.join("; ", reasons);
  }

  /**
   * The VM is at its limit and wants one more frame: its techniques take a batch back.
   * True when it is below the limit again.
   */
  private boolean keepUnderLimit(VirtualMachine vm) {
    if (limitDepth > 2) {
      return false;
    }
    limitDepth++;
    try {
      for (Technique t : mildestFirst) {
        long room = Math.min(RECLAIM_BATCH, vm.backedPages() - vm.minPages());
        if (room > 0) {
          t.reclaimer.reclaim(t.view(vm), room);
        }
        if (vm.backedPages() < vm.maxPages()) {
          return true;
        }
      }
      return false;
    } finally {
      limitDepth--;
    }
  }

  /**
   * Out of frames: every technique may act; take first from VMs furthest above target. A
   * technique's own work may need a frame in turn (a swap-in to give a page back); that
   * may reclaim again, a few levels deep, no deeper.
   */
  private void reclaimUnderPressure() {
    if (pressureDepth >= MAX_PRESSURE_DEPTH) {
      return;
    }
    pressureDepth++;
    try {
      reclaimFromEveryVm();
    } finally {
      pressureDepth--;
    }
  }

  private void reclaimFromEveryVm() {
    List<VirtualMachine> order = new ArrayList<>(vms);
    order.sort(Comparator.comparingLong((VirtualMachine v) -> v.targetPages() - v.backedPages())
        .thenComparingInt(VirtualMachine::index));
    for (Technique t : techniques) {
      for (VirtualMachine v : order) {
        long room = Math.min(RECLAIM_BATCH, v.backedPages() - v.minPages());
        if (room > 0 && t.reclaimer.reclaim(t.view(v), room) > 0 && host.freeFrames() > 0) {
          return;
        }
      }
    }
  }

  /**
   * Periodic reclamation: while free memory is below the high state, each VM gives back
   * what it is asked for (the excess over its target when a policy sets targets; without
   * one, its part of the host's shortfall to the high threshold, in proportion to what it
   * has above its reservation), never below its reservation. Per VM, the techniques of
   * milder states act first; when they neither freed nor undertook anything there (a VM
   * without a balloon driver, a balloon at its cap), the techniques of the next tighter
   * state act on it too (ESX: in soft, swap when the balloon cannot).
   */
  void reclaimTick() {
    HostMemoryState state = host.state();
    if (state == HostMemoryState.HIGH) {
      return;
    }
    long[] wanted = wanted();
    for (VirtualMachine v : vms) {
      long want = wanted[v.index()];
      long done = 0;
      HostMemoryState reached = state;
      for (Technique t : mildestFirst) {
        if (!reached.atOrBelow(t.reclaimer.actsFrom())) {
          if (done > 0 || !nextState(reached).atOrBelow(t.reclaimer.actsFrom())) {
            continue;
          }
          reached = nextState(reached);
        }
        long ask = Math.min(want - done, v.backedPages() - v.minPages());
        if (ask <= 0) {
          break;
        }
        done += t.reclaimer.reclaim(t.view(v), ask) + t.reclaimer.pending(t.view(v));
      }
    }
  }

  /** What each VM is asked to give back now (see {@link #reclaimTick}). */
  private long[] wanted() {
    long[] wanted = new long[vms.size()];
    if (policySetsTargets) {
      for (VirtualMachine v : vms) {
        wanted[v.index()] = Math.max(0, Math.min(v.backedPages() - v.targetPages(), v.backedPages() - v.minPages()));
      }
      return wanted;
    }
    long shortfall = host.thresholdFrames(HostMemoryState.HIGH) - host.freeFrames();
    long above = 0;
    for (VirtualMachine v : vms) {
      above += Math.max(0, v.backedPages() - v.minPages());
    }
    for (VirtualMachine v : vms) {
      long mine = Math.max(0, v.backedPages() - v.minPages());
      wanted[v.index()] = above == 0 || shortfall <= 0 ? 0 : (long) Math.ceil((double) shortfall * mine / above);
    }
    return wanted;
  }

  private static HostMemoryState nextState(HostMemoryState s) {
    return s == HostMemoryState.LOW ? s : HostMemoryState.values()[s.ordinal() + 1];
  }

  /** In the low state a VM above its target waits until memory is freed (ESX). */
  boolean blocked(VirtualMachine vm) {
    return vm.backedPages() > vm.targetPages() && host.state() == HostMemoryState.LOW;
  }
}
