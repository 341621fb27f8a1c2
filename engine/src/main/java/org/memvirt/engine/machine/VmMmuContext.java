package org.memvirt.engine.machine;

import org.memvirt.api.Metrics;
import org.memvirt.api.Settings;
import org.memvirt.api.memory.P2m;
import org.memvirt.api.mmu.GuestPageTables;
import org.memvirt.api.mmu.MmuContext;
import org.memvirt.api.reclaim.FaultCause;
import org.memvirt.engine.hypervisor.Hypervisor;
import org.memvirt.engine.vm.VirtualMachine;

/** What one VM's MMU is given. */
record VmMmuContext(VirtualMachine vm, Hypervisor hypervisor, Settings settings) implements MmuContext {
  @Override
  public String vmName() {
    return vm.name();
  }

  @Override
  public GuestPageTables guestPageTables() {
    return vm.kernel().pageTables();
  }

  @Override
  public P2m p2m() {
    return vm.p2m();
  }

  @Override
  public long resolveNestedFault(long gppn, boolean write) {
    return hypervisor.resolveNestedFault(vm, gppn, FaultCause.ofAccess(write));
  }

  @Override
  public Metrics metrics() {
    return vm.scope();
  }
}
