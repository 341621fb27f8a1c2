package org.memvirt.engine.sim;

import java.util.ArrayList;
import java.util.List;
import org.memvirt.api.Counter;
import org.memvirt.api.MetricNames;
import org.memvirt.api.memory.Pages;
import org.memvirt.api.mmu.Mmu;
import org.memvirt.engine.guest.GuestKernel;
import org.memvirt.engine.guest.GuestProcess;
import org.memvirt.engine.machine.MetricScope;

/**
 * One virtual machine: its P2M map, its guest OS and the hardware it runs on, its vCPUs
 * and its MMU, its target and limits, and the stall its events have charged and its
 * vCPUs not yet paid ({@link #pendingStall}). Techniques and policies see it through
 * {@link TechniqueView}s.
 */
final class VirtualMachine {
  private final int index;
  private final Experiment.VmSpec spec;
  private final P2mTable p2m;
  private final MetricScope metrics;
  private final GuestKernel guest;
  private final VirtualHardware hardware;
  private final List<Vcpu> vcpus = new ArrayList<>();
  private final Counter processExits;
  /**
   * Nanoseconds of stall charged by the VM's events since its vCPU last paid: [0] under
   * virtualization, [1] natively (see {@link org.memvirt.api.Counter#stalls}).
   */
  final double[] pendingStall;
  private Mmu mmu;
  private long target;
  private long active = -1;

  VirtualMachine(int index, Experiment.VmSpec spec, MetricScope metrics, double[] pendingStall, Hypervisor hypervisor) {
    this.pendingStall = pendingStall;
    this.index = index;
    this.spec = spec;
    this.metrics = metrics;
    this.p2m = new P2mTable(Math.toIntExact(Pages.count(spec.memoryBytes())), metrics.counter("large_splits"));
    this.processExits = metrics.counter(MetricNames.PROCESS_EXITS);
    this.guest = new GuestKernel(spec.name(), index, spec.memoryBytes(), spec.levels(), spec.replacement(),
        spec.swapBytes(), spec.hugePagesBytes(), metrics);
    guest.keepFree(Pages.count(spec.freeTargetBytes()));
    this.hardware = new VirtualHardware(this, hypervisor);
    this.target = maxPages();
  }

  void attach(Mmu mmu) {
    this.mmu = mmu;
    p2m.attach(mmu);
    guest.attach(hardware);
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

  VirtualHardware hardware() {
    return hardware;
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

  P2mTable p2m() {
    return p2m;
  }

  int index() {
    return index;
  }

  String name() {
    return spec.name();
  }

  long pages() {
    return p2m.pages();
  }

  long minPages() {
    return Pages.count(spec.minBytes());
  }

  long maxPages() {
    return Pages.count(spec.maxBytes());
  }

  /** Guest pages with a host frame: what min, max and the target are measured in. */
  long backedPages() {
    return p2m.backedPages();
  }

  long targetPages() {
    return target;
  }

  void setTargetPages(long pages) {
    target = Math.max(minPages(), Math.min(maxPages(), pages));
  }

  long activePages() {
    return active;
  }

  void setActivePages(long pages) {
    active = pages;
  }

  /** A process exits: the guest frees its memory, and every vCPU drops its address space. */
  void exitProcess(GuestProcess process) {
    processExits.increment();
    guest.exitProcess(process);
    for (Vcpu v : vcpus) {
      v.mmu().invalidateAddressSpace(process.rootGppn());
    }
  }
}
