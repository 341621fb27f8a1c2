package org.memvirt.engine.vm;

import org.memvirt.api.Counter;
import org.memvirt.api.MetricNames;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.FaultCause;
import org.memvirt.engine.guest.GuestHardware;
import org.memvirt.engine.guest.GuestProcess;

/**
 * The machine a guest kernel runs on, for its own page-level work: physical reads and
 * writes of whole pages and page-table entries, each taking a nested fault when its page
 * has no usable frame (with the cause that the page's holder hears), and TLB shootdowns.
 */
public final class VirtualHardware implements GuestHardware {
  private final VirtualMachine vm;
  private final VmExits hypervisor;
  private final Counter exits;

  VirtualHardware(VirtualMachine vm, VmExits hypervisor) {
    this.vm = vm;
    this.hypervisor = hypervisor;
    this.exits = vm.scope().counter(MetricNames.EXITS);
  }

  @Override
  public long readPhysical(long gppn, FaultCause cause) {
    if (cause != FaultCause.VCPU_READ) {
      hypervisor.guestPageOperation(vm, gppn, cause);
    }
    long e = vm.p2m().get(gppn);
    if (!P2mEntry.readable(e)) {
      e = fault(gppn, cause);
    }
    return hypervisor.host().content(P2mEntry.value(e));
  }

  @Override
  public void writePhysical(long gppn, long token, FaultCause cause) {
    hypervisor.guestPageOperation(vm, gppn, cause);
    long e = vm.p2m().get(gppn);
    if (!P2mEntry.writable(e)) {
      e = fault(gppn, cause);
    }
    hypervisor.host().setContent(P2mEntry.value(e), token);
    vm.mmu().guestPageWritten(gppn);
  }

  @Override
  public void writeTableEntry(long tableGppn, int index) {
    if (!P2mEntry.writable(vm.p2m().get(tableGppn))) {
      fault(tableGppn, FaultCause.VCPU_WRITE);
    }
    vm.mmu().guestPageTableWritten(tableGppn, index);
  }

  /** A nested fault taken by the guest kernel's own access. */
  private long fault(long gppn, FaultCause cause) {
    exits.increment();
    vm.mmu().guestKernelFault(gppn, cause.write());
    hypervisor.resolveNestedFault(vm, gppn, cause);
    return vm.p2m().get(gppn);
  }

  /**
   * TLB shootdown: {@code invlpg} on the vCPUs running the process; with tagged TLBs, the
   * other vCPUs may still hold entries of its address space, so they invalidate it by tag.
   */
  @Override
  public void invalidatePage(GuestProcess process, long gva) {
    for (Vcpu v : vm.vcpus()) {
      if (v.runs(process)) {
        v.mmu().invalidatePage(gva);
      } else if (v.tlb().tagged()) {
        v.mmu().invalidatePage(process.rootGppn(), gva);
      }
    }
  }
}
