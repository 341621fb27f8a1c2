package org.memvirt.engine.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.memvirt.api.memory.HostMemory;
import org.memvirt.api.memory.HostMemoryState;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.Reclaimer;
import org.memvirt.engine.config.ExperimentException;
import org.memvirt.engine.config.Units;
import org.memvirt.engine.machine.HostFrames;

/**
 * The host side of memory virtualization: backs guest pages on nested faults, hands faults
 * on pages a reclamation technique holds back to that technique, and drives reclamation
 * from the host's free-memory state.
 */
final class Hypervisor {
  /** Frames asked of reclaimers at once when an allocation finds none free. */
  private static final long RECLAIM_BATCH = 64;

  private final HostFrames host;
  private final SimClock clock;
  private final List<VirtualMachine> vms = new ArrayList<>();
  private final List<Reclaimer> reclaimers = new ArrayList<>();
  private final List<String> reclaimerNames = new ArrayList<>();
  private final HostMemory view = new PluginHostView();

  Hypervisor(HostFrames host, SimClock clock) {
    this.host = host;
    this.clock = clock;
  }

  void addVm(VirtualMachine vm) {
    vms.add(vm);
  }

  /** Registers a technique; its owner id in P2M entries is its position + 1. */
  int addReclaimer(String name, Reclaimer r) {
    reclaimers.add(r);
    reclaimerNames.add(name);
    return reclaimers.size();
  }

  int nextOwnerId() {
    int id = reclaimers.size() + 1;
    if (id > P2mEntry.MAX_OWNER) {
      throw new ExperimentException("reclaim: at most " + P2mEntry.MAX_OWNER + " techniques");
    }
    return id;
  }

  List<Reclaimer> reclaimers() {
    return reclaimers;
  }

  /** Host memory as plugins see it: allocation reclaims under pressure, as the engine's does. */
  HostMemory pluginView() {
    return view;
  }

  private final class PluginHostView implements HostMemory {
    @Override
    public long totalFrames() {
      return host.totalFrames();
    }

    @Override
    public long freeFrames() {
      return host.freeFrames();
    }

    @Override
    public HostMemoryState state() {
      return host.state();
    }

    @Override
    public long allocate(int vm, long gppn) {
      return tryAllocate(vm, gppn);
    }

    @Override
    public void free(long hppn) {
      host.free(hppn);
    }

    @Override
    public long content(long hppn) {
      return host.content(hppn);
    }

    @Override
    public void setContent(long hppn, long token) {
      host.setContent(hppn, token);
    }
  }

  /**
   * Makes {@code gppn} of {@code vm} usable for a read or a write and returns its frame.
   * Callers count the fault (an EPT violation, a hidden fault, ...).
   */
  long resolveNestedFault(VirtualMachine vm, long gppn, boolean write) {
    long e = vm.get(gppn);
    int state = P2mEntry.state(e);
    if (state == P2mEntry.UNBACKED && host.largeBlocksFree() > 0
        && vm.blockUnbacked(gppn & ~(HostFrames.BLOCK - 1L))) {
      // hugetlbfs-style backing: a whole unbacked 2 MiB block gets one 2 MiB host page.
      long base = gppn & ~(HostFrames.BLOCK - 1L);
      vm.mapLarge(base, host.allocateLarge(vm.index(), base));
    } else if (state == P2mEntry.UNBACKED || (state == P2mEntry.ZERO && P2mEntry.owner(e) == 0)) {
      long hppn = allocate(vm, gppn);
      vm.set(gppn, P2mEntry.mapped(hppn));
    } else if (!(write ? P2mEntry.writable(e) : P2mEntry.readable(e))) {
      int owner = P2mEntry.owner(e);
      if (owner == 0 || owner > reclaimers.size()) {
        throw new IllegalStateException("vm " + vm.name() + " guest page " + gppn + " is "
            + P2mEntry.stateName(state) + " with no technique holding it");
      }
      reclaimers.get(owner - 1).fault(vm, gppn, e, write);
    }
    e = vm.get(gppn);
    if (!(write ? P2mEntry.writable(e) : P2mEntry.readable(e))) {
      int owner = P2mEntry.owner(vm.get(gppn));
      throw new IllegalStateException("reclaim technique "
          + (owner > 0 && owner <= reclaimerNames.size() ? reclaimerNames.get(owner - 1) : "?")
          + " left vm " + vm.name() + " guest page " + gppn + " " + P2mEntry.stateName(P2mEntry.state(e))
          + " after a " + (write ? "write" : "read") + " fault");
    }
    return P2mEntry.value(e);
  }

  /** A zeroed host frame, reclaiming first if none is free; {@link HostMemory#NO_FRAME} if none can be. */
  long tryAllocate(int vm, long gppn) {
    long hppn = host.allocate(vm, gppn);
    if (hppn == HostMemory.NO_FRAME) {
      reclaimUnderPressure();
      hppn = host.allocate(vm, gppn);
    }
    return hppn;
  }

  /** A zeroed host frame for {@code gppn}, reclaiming from VMs if none is free. */
  long allocate(VirtualMachine vm, long gppn) {
    long hppn = tryAllocate(vm.index(), gppn);
    if (hppn == HostMemory.NO_FRAME) {
      throw new ExperimentException(String.format(
          "host out of memory at %.3f s: all %s of host.memory are in use and %s; add reclamation "
              + "(reclaim:) or host memory, or lower the VMs' memory",
          clock.nanos() / 1e9, Units.formatBytes(host.totalFrames() << 12),
          reclaimers.isEmpty() ? "no reclamation technique is configured" : "no reclamation technique could free a frame"));
    }
    return hppn;
  }

  /** Out of frames: every technique may act; take first from VMs furthest above target. */
  private void reclaimUnderPressure() {
    List<VirtualMachine> order = new ArrayList<>(vms);
    order.sort(Comparator.comparingLong((VirtualMachine v) -> v.targetPages() - v.consumedPages())
        .thenComparingInt(VirtualMachine::index));
    for (Reclaimer r : reclaimers) {
      for (VirtualMachine v : order) {
        if (v.consumedPages() > v.minPages() && r.reclaim(v, RECLAIM_BATCH) > 0 && host.freeFrames() > 0) {
          return;
        }
      }
    }
  }

  /**
   * Periodic reclamation: while free memory is below the high state, each technique whose
   * state has been reached takes back from every VM above its target the excess, the
   * techniques for milder states first (ESX: balloon in soft, swap in hard).
   */
  void reclaimTick() {
    HostMemoryState state = host.state();
    if (state == HostMemoryState.HIGH) {
      return;
    }
    List<Reclaimer> order = new ArrayList<>(reclaimers);
    order.sort(Comparator.comparingInt(r -> r.actsFrom().ordinal()));
    for (Reclaimer r : order) {
      if (!state.atOrBelow(r.actsFrom())) {
        continue;
      }
      for (VirtualMachine v : vms) {
        long excess = v.consumedPages() - v.targetPages();
        if (excess > 0) {
          r.reclaim(v, excess);
        }
      }
      state = host.state();
      if (state == HostMemoryState.HIGH) {
        return;
      }
    }
  }
}
