package org.memvirt.engine.hypervisor;

import java.util.ArrayList;
import java.util.List;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.FaultCause;
import org.memvirt.engine.hardware.SimClock;
import org.memvirt.engine.host.FrameTableViolation;
import org.memvirt.engine.host.HostFrames;
import org.memvirt.engine.vm.P2mTable;
import org.memvirt.engine.vm.VirtualMachine;
import org.memvirt.engine.vm.VmExits;

/**
 * The host side of memory virtualization: backs guest pages on nested faults, hands faults
 * on pages a technique holds back to that technique (with their cause), passes release
 * requests between techniques and checks each hand-over; {@link Reclamation} keeps every
 * VM within its limit and above its reservation and drives reclamation from the host's
 * free-memory state.
 */
public final class Hypervisor implements VmExits {

  private final HostFrames host;
  private final SimClock clock;
  private final List<VirtualMachine> vms = new ArrayList<>();
  private final List<Technique> techniques = new ArrayList<>();
  private final Reclamation reclamation;
  /** Pages whose holder is handling a fault or a release now, innermost last. */
  private final int[] busyVm = new int[64];
  private final long[] busyGppn = new long[64];
  private int busyDepth;

  public Hypervisor(HostFrames host, SimClock clock) {
    this.host = host;
    this.clock = clock;
    this.reclamation = new Reclamation(host, clock, vms, techniques);
    host.names(vm -> "vm " + vms.get(vm).name(), this::techniqueName);
  }

  @Override
  public HostFrames host() {
    return host;
  }

  public void addVm(VirtualMachine vm) {
    vms.add(vm);
  }

  VirtualMachine vm(int index) {
    return vms.get(index);
  }

  /** Registers a technique; its owner id in P2M entries is its position + 1. */
  public Technique addTechnique(String name) {
    int id = techniques.size() + 1;
    if (id > P2mEntry.MAX_OWNER) {
      throw new org.memvirt.engine.config.ExperimentException("reclaim: at most " + P2mEntry.MAX_OWNER + " techniques");
    }
    Technique t = new Technique(name, id, this, vms);
    techniques.add(t);
    return t;
  }



  /** Allocation within limits, reclamation under pressure and by period. */
  public Reclamation reclamation() {
    return reclamation;
  }

  public List<Technique> techniques() {
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
  @Override
  public long resolveNestedFault(VirtualMachine vm, long gppn, FaultCause cause) {
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
          reclamation.nothingFreed(vms)));
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
      long hppn = reclamation.allocate(vm, gppn);
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
  @Override
  public void guestPageOperation(VirtualMachine vm, long gppn, FaultCause cause) {
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
}
