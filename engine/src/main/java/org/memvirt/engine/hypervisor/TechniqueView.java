package org.memvirt.engine.hypervisor;

import org.memvirt.api.Metrics;
import org.memvirt.api.memory.EntryRules;
import org.memvirt.api.memory.P2m;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.FaultCause;
import org.memvirt.api.reclaim.GuestOs;
import org.memvirt.api.reclaim.VmMemory;
import org.memvirt.engine.host.FrameTableViolation;
import org.memvirt.engine.host.HostFrames;
import org.memvirt.engine.vm.P2mTable;
import org.memvirt.engine.vm.VirtualMachine;

/**
 * One VM as one technique (or the allocation policy) sees it. Its P2M accepts only the
 * changes the ownership contract allows that technique: entries it holds or owner-0
 * entries, written with its own id or 0; a MAPPED entry naming a frame private to the page,
 * a SHARED one a shared or held frame; never below the VM's reservation nor above its
 * limit. Anything else is a {@link FrameTableViolation} naming the technique.
 */
public final class TechniqueView implements VmMemory, P2m {
  /** The owner id of the policy's views: it may read and sample, never change an entry. */
  public static final int POLICY = -1;

  private final VirtualMachine vm;
  private final Hypervisor hypervisor;
  private final int owner;
  private final String technique;
  private final EntryRules.Frames frames;

  public TechniqueView(VirtualMachine vm, Hypervisor hypervisor, int owner, String technique) {
    this.vm = vm;
    this.hypervisor = hypervisor;
    this.owner = owner;
    this.technique = technique;
    HostFrames host = hypervisor.host();
    this.frames = new EntryRules.Frames() {
      @Override
      public boolean privateTo(long hppn, long gppn) {
        return host.privateTo(hppn, vm.index(), gppn);
      }

      @Override
      public boolean shareable(long hppn) {
        return host.shareable(hppn);
      }

      @Override
      public String describe(long hppn) {
        return hppn < host.totalFrames() ? host.describe(hppn) : "not a host frame";
      }
    };
  }

  // ---- P2m -----------------------------------------------------------------------------

  @Override
  public long pages() {
    return vm.pages();
  }

  /** The entry, with this reader's own accessed bit (see {@link P2mTable}). */
  @Override
  public long get(long gppn) {
    return owner == POLICY ? vm.p2m().forPolicy(gppn) : vm.p2m().forTechniques(gppn);
  }

  @Override
  public void set(long gppn, long entry) {
    String refusal = EntryRules.refusal(gppn, vm.p2m().get(gppn), entry, owner, frames, vm.backedPages(),
        vm.minPages(), vm.maxPages(), hypervisor::techniqueName);
    if (refusal != null) {
      throw new FrameTableViolation(technique + " " + refusal + " of vm " + vm.name());
    }
    vm.p2m().set(gppn, entry);
  }

  @Override
  public void markAccessed(long gppn) {
    vm.p2m().markAccessed(gppn);
  }

  /** Clears this reader's accessed bit: the policy's copy, or the techniques'. */
  @Override
  public void clearAccessed(long gppn) {
    if (owner == POLICY) {
      vm.p2m().armSample(gppn);
    } else {
      vm.p2m().clearAccessed(gppn);
    }
  }

  // ---- VmMemory ------------------------------------------------------------------------

  @Override
  public int index() {
    return vm.index();
  }

  @Override
  public String name() {
    return vm.name();
  }

  @Override
  public long minPages() {
    return vm.minPages();
  }

  @Override
  public long maxPages() {
    return vm.maxPages();
  }

  @Override
  public long shares() {
    return vm.spec().shares();
  }

  @Override
  public long consumedPages() {
    return MemoryAccounting.consumed(vm, hypervisor.host());
  }

  @Override
  public long backedPages() {
    return vm.backedPages();
  }

  @Override
  public long statePages(int state) {
    return state >= 0 && state < P2mEntry.STATES ? vm.p2m().statePages(state) : 0;
  }

  @Override
  public long targetPages() {
    return vm.targetPages();
  }

  @Override
  public void setTargetPages(long pages) {
    vm.setTargetPages(pages);
  }

  @Override
  public long activePages() {
    return vm.activePages();
  }

  @Override
  public void setActivePages(long pages) {
    vm.setActivePages(pages);
  }

  @Override
  public P2m p2m() {
    return this;
  }

  @Override
  public boolean requestRelease(long gppn, boolean keepContent) {
    return hypervisor.requestRelease(vm, gppn, keepContent, technique);
  }

  @Override
  public boolean requestReleaseShared(long gppn, org.memvirt.api.reclaim.SharedFrameTaker taker) {
    return hypervisor.requestReleaseShared(vm, gppn, taker, owner, technique);
  }

  @Override
  public long touch(long gppn) {
    return hypervisor.resolveNestedFault(vm, gppn, FaultCause.HYPERVISOR);
  }

  @Override
  public org.memvirt.api.Settings settings() {
    return vm.spec().settings();
  }

  @Override
  public GuestOs guest() {
    return vm.kernel().memory();
  }

  @Override
  public Metrics metrics() {
    return vm.scope();
  }
}
