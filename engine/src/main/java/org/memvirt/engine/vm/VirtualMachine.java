package org.memvirt.engine.vm;

import java.util.ArrayList;
import java.util.List;
import org.memvirt.api.Counter;
import org.memvirt.api.MetricNames;
import org.memvirt.api.memory.Pages;
import org.memvirt.api.mmu.Mmu;
import org.memvirt.engine.experiment.VmSpec;
import org.memvirt.engine.guest.GuestKernel;
import org.memvirt.engine.guest.GuestProcess;
import org.memvirt.engine.hardware.MetricScope;

/**
 * One virtual machine: its P2M map, its guest OS and the hardware it runs on, its vCPUs
 * and its MMU, its target and limits, and the stall its events have charged and its
 * vCPUs not yet paid ({@link #pendingStall}). Techniques and policies see it through
 * the hypervisor's technique views.
 */
public final class VirtualMachine {
  /** The counters every VM has, in the order results list them. */
  public static final List<String> COUNTERS = List.of(
      MetricNames.ACCESSES, MetricNames.TLB_L1I_MISSES, MetricNames.TLB_L1D_MISSES, MetricNames.TLB_L2_HITS,
      MetricNames.TLB_L2_MISSES, MetricNames.TLB_FLUSH, MetricNames.WALKS, MetricNames.WALK_REFS,
      MetricNames.WALK_REFS_GUEST, MetricNames.WALK_REFS_NESTED, MetricNames.NATIVE_WALK_REFS,
      MetricNames.WALK_REFS_SAVED, MetricNames.RETRIES, MetricNames.PF_GUEST, MetricNames.EPT_VIOLATIONS,
      MetricNames.EXITS, MetricNames.GUEST_SWAP_OUTS, MetricNames.GUEST_SWAP_INS, MetricNames.FRAMES_ZEROED,
      MetricNames.CONTEXT_SWITCHES, MetricNames.PROCESS_EXITS);

  private final int index;
  private final VmSpec spec;
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
  public final double[] pendingStall;
  private Mmu mmu;
  private long target;
  private long active = -1;

  public VirtualMachine(int index, VmSpec spec, MetricScope metrics, double[] pendingStall, VmExits exits) {
    this.pendingStall = pendingStall;
    this.index = index;
    this.spec = spec;
    this.metrics = metrics;
    this.p2m = new P2mTable(Math.toIntExact(Pages.count(spec.memoryBytes())), metrics.counter("large_splits"));
    this.processExits = metrics.counter(MetricNames.PROCESS_EXITS);
    this.guest = new GuestKernel(spec.name(), index, spec.memoryBytes(), spec.levels(), spec.replacement(),
        spec.swapBytes(), spec.hugePagesBytes(), metrics);
    guest.keepFree(Pages.count(spec.freeTargetBytes()));
    this.hardware = new VirtualHardware(this, exits);
    this.target = maxPages();
  }

  public void attach(Mmu mmu) {
    this.mmu = mmu;
    p2m.attach(mmu);
    guest.attach(hardware);
  }

  public void addVcpu(Vcpu vcpu) {
    vcpus.add(vcpu);
  }

  public List<Vcpu> vcpus() {
    return vcpus;
  }

  Mmu mmu() {
    return mmu;
  }

  public VirtualHardware hardware() {
    return hardware;
  }

  public GuestKernel kernel() {
    return guest;
  }

  public MetricScope scope() {
    return metrics;
  }

  public VmSpec spec() {
    return spec;
  }

  public P2mTable p2m() {
    return p2m;
  }

  public int index() {
    return index;
  }

  public String name() {
    return spec.name();
  }

  public long pages() {
    return p2m.pages();
  }

  public long minPages() {
    return Pages.count(spec.minBytes());
  }

  public long maxPages() {
    return Pages.count(spec.maxBytes());
  }

  /** Guest pages with a host frame: what min, max and the target are measured in. */
  public long backedPages() {
    return p2m.backedPages();
  }

  public long targetPages() {
    return target;
  }

  public void setTargetPages(long pages) {
    target = Math.max(minPages(), Math.min(maxPages(), pages));
  }

  public long activePages() {
    return active;
  }

  public void setActivePages(long pages) {
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
