package org.memvirt.api.mmu;

/**
 * One VM's memory-management unit as the hypervisor virtualizes it: holds what is per VM
 * (shadow tables, for instance) and makes the per-vCPU part.
 */
public interface Mmu {
  /** The translation unit of one vCPU of this VM. */
  VcpuMmu vcpu(VcpuContext vcpu);

  /**
   * The guest OS wrote entry {@code index} of its page-table page {@code tableGppn}. Under
   * nested paging this is an ordinary memory write; under shadow paging it traps.
   */
  default void guestPageTableWritten(long tableGppn, int index) {}

  /**
   * The guest kernel wrote guest physical page {@code gppn} whole (zero-filling it, reading
   * it in from swap, initializing a new page table). A technique that write-protects guest
   * pages (shadow paging) sees the write here.
   */
  default void guestPageWritten(long gppn) {}

  /**
   * The guest kernel's own access to {@code gppn} found no usable host frame: count the
   * exit as this technique names it (the engine counts {@code exits} and then resolves it).
   */
  default void guestKernelFault(long gppn, boolean write) {}

  /**
   * The hypervisor changed the P2M entry of {@code gppn} (unmapped, remapped, shared, ...):
   * every cached translation that used it must go.
   */
  void p2mChanged(long gppn);
}
