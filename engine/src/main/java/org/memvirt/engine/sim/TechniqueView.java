package org.memvirt.engine.sim;

import org.memvirt.api.Metrics;
import org.memvirt.api.memory.P2m;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.FaultCause;
import org.memvirt.api.reclaim.GuestOs;
import org.memvirt.api.reclaim.VmMemory;
import org.memvirt.engine.machine.FrameTableViolation;
import org.memvirt.engine.machine.HostFrames;

/**
 * One VM as one technique (or the allocation policy) sees it. Its P2M accepts only the
 * changes the ownership contract allows that technique: entries it holds or owner-0
 * entries, written with its own id or 0; a MAPPED entry naming a frame private to the page,
 * a SHARED one a shared or held frame; never below the VM's reservation nor above its
 * limit. Anything else is a {@link FrameTableViolation} naming the technique.
 */
final class TechniqueView implements VmMemory, P2m {
  /** The owner id of the policy's views: it may read and sample, never change an entry. */
  static final int POLICY = -1;

  private final VirtualMachine vm;
  private final Hypervisor hypervisor;
  private final int owner;
  private final String technique;

  TechniqueView(VirtualMachine vm, Hypervisor hypervisor, int owner, String technique) {
    this.vm = vm;
    this.hypervisor = hypervisor;
    this.owner = owner;
    this.technique = technique;
  }

  // ---- P2m -----------------------------------------------------------------------------

  @Override
  public long pages() {
    return vm.pages();
  }

  @Override
  public long get(long gppn) {
    return vm.p2m().get(gppn);
  }

  @Override
  public void set(long gppn, long entry) {
    long old = vm.p2m().get(gppn);
    if (owner == POLICY) {
      throw violation("changed the P2M entry of guest page " + gppn + "; a policy may only read and sample it");
    }
    int held = P2mEntry.owner(old);
    if (held != 0 && held != owner) {
      throw violation("changed guest page " + gppn + " (" + P2mEntry.stateName(P2mEntry.state(old))
          + "), which " + hypervisor.techniqueName(held) + " holds; ask it with requestRelease");
    }
    int writes = P2mEntry.owner(entry);
    if (writes != 0 && writes != owner) {
      throw violation("wrote the owner id of " + hypervisor.techniqueName(writes) + " into guest page " + gppn);
    }
    HostFrames host = hypervisor.host();
    int state = P2mEntry.state(entry);
    long frame = P2mEntry.value(entry);
    if (state == P2mEntry.MAPPED && !host.privateTo(frame, vm.index(), gppn)) {
      throw violation("mapped guest page " + gppn + " writable to host frame " + frame + ", which is "
          + describe(frame));
    }
    if (state == P2mEntry.SHARED && !host.shareable(frame)) {
      throw violation("mapped guest page " + gppn + " shared to host frame " + frame + ", which is "
          + describe(frame));
    }
    boolean had = P2mEntry.readable(old);
    boolean has = P2mEntry.readable(entry);
    if (had && !has && vm.backedPages() <= vm.minPages()) {
      throw violation("took guest page " + gppn + " at the VM's reservation (min " + vm.minPages() + " pages)");
    }
    if (!had && has && vm.backedPages() >= vm.maxPages()) {
      throw violation("backed guest page " + gppn + " at the VM's limit (max " + vm.maxPages()
          + " pages); allocate() makes room first");
    }
    vm.p2m().set(gppn, entry);
  }

  private String describe(long frame) {
    HostFrames host = hypervisor.host();
    return frame < host.totalFrames() ? host.describe(frame) : "not a host frame";
  }

  private FrameTableViolation violation(String what) {
    return new FrameTableViolation(technique + " " + what + " of vm " + vm.name());
  }

  @Override
  public void markAccessed(long gppn) {
    vm.p2m().markAccessed(gppn);
  }

  @Override
  public void clearAccessed(long gppn) {
    vm.p2m().clearAccessed(gppn);
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
  public long touch(long gppn) {
    return hypervisor.resolveNestedFault(vm, gppn, FaultCause.HYPERVISOR);
  }

  @Override
  public GuestOs guest() {
    return vm.kernel();
  }

  @Override
  public Metrics metrics() {
    return vm.scope();
  }
}
