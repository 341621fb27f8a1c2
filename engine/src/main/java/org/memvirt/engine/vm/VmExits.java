package org.memvirt.engine.vm;

import org.memvirt.api.reclaim.FaultCause;
import org.memvirt.engine.host.HostFrames;

/**
 * What a VM's hardware leaves to the hypervisor: a nested fault on a guest page, and the
 * guest kernel's whole-page operations that the hypervisor's techniques may act on. The
 * hypervisor implements it; the VM side knows the hypervisor only through it.
 */
public interface VmExits {
  /**
   * Makes {@code gppn} of {@code vm} usable for {@code cause} and returns its host frame.
   * Callers count the fault (an EPT violation, a hidden fault, ...).
   */
  long resolveNestedFault(VirtualMachine vm, long gppn, FaultCause cause);

  /** Tells every technique of a guest kernel's whole-page operation on {@code gppn}. */
  void guestPageOperation(VirtualMachine vm, long gppn, FaultCause cause);

  /** The host's frames, which the VM's hardware reads and writes. */
  HostFrames host();
}
