package org.memvirt.engine.sim;

import java.util.ArrayList;
import java.util.List;
import org.memvirt.api.Counter;
import org.memvirt.api.MetricNames;
import org.memvirt.api.Metrics;
import org.memvirt.api.memory.P2m;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.memory.Pages;
import org.memvirt.api.mmu.Mmu;
import org.memvirt.api.reclaim.GuestOs;
import org.memvirt.api.reclaim.VmMemory;
import org.memvirt.engine.guest.GuestHardware;
import org.memvirt.engine.guest.GuestKernel;
import org.memvirt.engine.guest.GuestProcess;
import org.memvirt.engine.machine.HostFrames;
import org.memvirt.engine.machine.MetricScope;

/**
 * One virtual machine: its P2M map (one {@code long} per guest physical page), its guest OS,
 * its vCPUs and its MMU. It is the machine its guest kernel runs on ({@link GuestHardware})
 * and the view reclaimers and policies have of it ({@link VmMemory}).
 */
final class VirtualMachine implements VmMemory, P2m, GuestHardware {
  private final int index;
  private final Experiment.VmSpec spec;
  private final long[] p2m;
  private final MetricScope metrics;
  private final GuestKernel guest;
  private final HostFrames host;
  private final Hypervisor hypervisor;
  private final List<Vcpu> vcpus = new ArrayList<>();
  private final Counter exits;
  private final Counter processExits;
  private final Counter splits;
  private Mmu mmu;
  private long consumed;
  private long target;

  VirtualMachine(int index, Experiment.VmSpec spec, MetricScope metrics, HostFrames host, Hypervisor hypervisor) {
    this.index = index;
    this.spec = spec;
    this.p2m = new long[Math.toIntExact(Pages.count(spec.memoryBytes()))];
    this.metrics = metrics;
    this.host = host;
    this.hypervisor = hypervisor;
    this.exits = metrics.counter(MetricNames.EXITS);
    this.processExits = metrics.counter(MetricNames.PROCESS_EXITS);
    this.splits = metrics.counter("large_splits");
    this.guest = new GuestKernel(spec.name(), index, spec.memoryBytes(), spec.levels(), spec.replacement(),
        spec.swapBytes(), spec.hugePagesBytes(), metrics);
    this.target = maxPages();
  }

  void attach(Mmu mmu) {
    this.mmu = mmu;
    guest.attach(this);
  }

  void addVcpu(Vcpu vcpu) {
    vcpus.add(vcpu);
  }

  List<Vcpu> vcpus() {
    return vcpus;
  }

  Mmu mmu() {
    return mmu;
  }

  GuestKernel kernel() {
    return guest;
  }

  MetricScope scope() {
    return metrics;
  }

  Experiment.VmSpec spec() {
    return spec;
  }

  // ---- P2m ---------------------------------------------------------------------------

  @Override
  public long pages() {
    return p2m.length;
  }

  @Override
  public long get(long gppn) {
    return p2m[(int) gppn];
  }

  @Override
  public void set(long gppn, long entry) {
    long old = p2m[(int) gppn];
    if (P2mEntry.large(old) && !P2mEntry.large(entry)) {
      splitLarge(gppn);
      old = p2m[(int) gppn];
    }
    boolean hadFrame = P2mEntry.readable(old);
    boolean hasFrame = P2mEntry.readable(entry);
    p2m[(int) gppn] = entry;
    consumed += (hasFrame ? 1 : 0) - (hadFrame ? 1 : 0);
    // Nothing can have cached a translation through an entry without a frame.
    if (hadFrame) {
      mmu.p2mChanged(gppn);
    }
  }

  /**
   * Maps guest pages {@code gppnBase}..+511 to host frames {@code hppnBase}..+511 as one
   * 2 MiB host mapping. The entries must have had no frame.
   */
  void mapLarge(long gppnBase, long hppnBase) {
    for (int i = 0; i < HostFrames.BLOCK; i++) {
      p2m[(int) gppnBase + i] = P2mEntry.mapped(hppnBase + i) | P2mEntry.LARGE;
    }
    consumed += HostFrames.BLOCK;
  }

  /** Breaks the 2 MiB host mapping containing {@code gppn} into 4 KiB ones. */
  private void splitLarge(long gppn) {
    long base = gppn & ~(HostFrames.BLOCK - 1L);
    for (int i = 0; i < HostFrames.BLOCK; i++) {
      p2m[(int) base + i] &= ~P2mEntry.LARGE;
    }
    splits.increment();
    mmu.p2mChanged(base);
  }

  /** Whether guest pages {@code gppnBase}..+511 all exist and none is backed or held. */
  boolean blockUnbacked(long gppnBase) {
    if (gppnBase + HostFrames.BLOCK > p2m.length) {
      return false;
    }
    for (int i = 0; i < HostFrames.BLOCK; i++) {
      if ((p2m[(int) gppnBase + i] & ~P2mEntry.ACCESSED) != 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void markAccessed(long gppn) {
    p2m[(int) gppn] |= P2mEntry.ACCESSED;
  }

  @Override
  public void clearAccessed(long gppn) {
    long old = p2m[(int) gppn];
    p2m[(int) gppn] = old & ~P2mEntry.ACCESSED;
    if (P2mEntry.readable(old)) {
      mmu.p2mChanged(gppn);
    }
  }

  // ---- GuestHardware: the guest kernel's own memory accesses -----------------------------

  @Override
  public long readPhysical(long gppn) {
    long e = p2m[(int) gppn];
    if (!P2mEntry.readable(e)) {
      e = guestKernelFault(gppn, false);
    }
    return host.content(P2mEntry.value(e));
  }

  @Override
  public void writePhysical(long gppn, long token) {
    long e = p2m[(int) gppn];
    if (!P2mEntry.writable(e)) {
      e = guestKernelFault(gppn, true);
    }
    host.setContent(P2mEntry.value(e), token);
    mmu.guestPageWritten(gppn);
  }

  @Override
  public void writeTableEntry(long tableGppn, int index) {
    if (!P2mEntry.writable(p2m[(int) tableGppn])) {
      guestKernelFault(tableGppn, true);
    }
    mmu.guestPageTableWritten(tableGppn, index);
  }

  /** A nested fault taken by the guest kernel's own access (zeroing, swapping, page-table writes). */
  private long guestKernelFault(long gppn, boolean write) {
    exits.increment();
    mmu.guestKernelFault(gppn, write);
    hypervisor.resolveNestedFault(this, gppn, write);
    return p2m[(int) gppn];
  }

  /**
   * TLB shootdown: {@code invlpg} on the vCPUs running the process; with tagged TLBs, the
   * other vCPUs may still hold entries of its address space, so they invalidate it by tag.
   */
  @Override
  public void invalidatePage(GuestProcess process, long gva) {
    for (Vcpu v : vcpus) {
      if (v.runs(process)) {
        v.mmu().invalidatePage(gva);
      } else if (v.tlb().tagged()) {
        v.mmu().invalidatePage(process.rootGppn(), gva);
      }
    }
  }

  /** A process exits: the guest frees its memory, and every vCPU drops its address space. */
  void exitProcess(GuestProcess process) {
    processExits.increment();
    guest.exitProcess(process);
    for (Vcpu v : vcpus) {
      v.mmu().invalidateAddressSpace(process.rootGppn());
    }
  }

  // ---- VmMemory ------------------------------------------------------------------------

  @Override
  public int index() {
    return index;
  }

  @Override
  public String name() {
    return spec.name();
  }

  @Override
  public long minPages() {
    return Pages.count(spec.minBytes());
  }

  @Override
  public long maxPages() {
    return Pages.count(spec.maxBytes());
  }

  @Override
  public long shares() {
    return spec.shares();
  }

  @Override
  public long consumedPages() {
    return consumed;
  }

  @Override
  public long targetPages() {
    return target;
  }

  @Override
  public void setTargetPages(long pages) {
    target = Math.max(minPages(), Math.min(maxPages(), pages));
  }

  @Override
  public P2m p2m() {
    return this;
  }

  @Override
  public GuestOs guest() {
    return guest;
  }

  @Override
  public Metrics metrics() {
    return metrics;
  }
}
