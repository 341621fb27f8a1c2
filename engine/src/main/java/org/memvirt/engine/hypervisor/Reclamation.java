package org.memvirt.engine.hypervisor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.memvirt.api.memory.HostMemory;
import org.memvirt.api.memory.HostMemoryState;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.engine.config.Units;
import org.memvirt.engine.hardware.SimClock;
import org.memvirt.engine.host.HostFrames;
import org.memvirt.engine.vm.VirtualMachine;

/**
 * Reclamation, apart from the faults that need it: frames for guest pages within each VM's
 * limit (its techniques take a batch back at the limit), frames when none is free (every
 * technique may act, VMs furthest above target first), and the periodic round driven by
 * the host's free-memory state, never below a VM's reservation.
 */
public final class Reclamation {
  /** Frames asked of reclaimers at once when an allocation finds none free or a VM at its limit. */
  private static final long RECLAIM_BATCH = 64;
  private static final int MAX_PRESSURE_DEPTH = 3;

  private final HostFrames host;
  private final SimClock clock;
  private final List<VirtualMachine> vms;
  private final List<Technique> techniques;
  /** Techniques, mildest state first (ESX: balloon in soft before swap in hard). */
  private List<Technique> mildestFirst = List.of();
  private int limitDepth;
  /** Whether an allocation policy sets the VMs' targets (else reclamation follows the shortfall). */
  private boolean policySetsTargets;
  private int pressureDepth;

  Reclamation(HostFrames host, SimClock clock, List<VirtualMachine> vms, List<Technique> techniques) {
    this.host = host;
    this.clock = clock;
    this.vms = vms;
    this.techniques = techniques;
  }

  /** Called once every technique has its reclaimer. */
  public void techniquesReady() {
    mildestFirst = new ArrayList<>(techniques);
    mildestFirst.sort(Comparator.comparingInt(t -> t.reclaimer.actsFrom().ordinal()));
  }

  /** An allocation policy sets the VMs' targets from now on. */
  public void policySetsTargets() {
    policySetsTargets = true;
  }


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
  String nothingFreed(List<VirtualMachine> from) {
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
  public void reclaimTick() {
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
  public boolean blocked(VirtualMachine vm) {
    return vm.backedPages() > vm.targetPages() && host.state() == HostMemoryState.LOW;
  }
}
