package org.memvirt.api.reclaim;

/**
 * Why a page a technique holds was touched. The guest kernel's page-level operations say
 * what they are, so that a technique can tell double paging (the guest reading a page to
 * write it to its own swap device) and whole-page overwrites (a swap-in or a zero-fill
 * into the page: nothing needs reading back, VSwapper's "false reads") from ordinary use.
 */
public enum FaultCause {
  /** A load or fetch by a vCPU (the guest kernel reading its own page tables included). */
  VCPU_READ(false),
  /** A store by a vCPU (the guest kernel writing a page-table entry included). */
  VCPU_WRITE(true),
  /** The guest kernel reads the page whole to write it to its own swap device. */
  GUEST_IO(false),
  /** The guest kernel overwrites the page whole from the CPU: a zero-fill, a new page table. */
  GUEST_OVERWRITE(true),
  /** The guest kernel overwrites the page whole from its swap device (a swap-in into it: guest I/O). */
  GUEST_SWAP_IN(true),
  /** The hypervisor itself needs the page (a scanner, another technique). */
  HYPERVISOR(false);

  private final boolean write;

  FaultCause(boolean write) {
    this.write = write;
  }

  /** Whether the page must end up writable. */
  public boolean write() {
    return write;
  }

  /** Whether the old content does not matter: the page is about to be overwritten whole. */
  public boolean overwrites() {
    return this == GUEST_OVERWRITE || this == GUEST_SWAP_IN;
  }


  /** The cause of a vCPU access. */
  public static FaultCause ofAccess(boolean write) {
    return write ? VCPU_WRITE : VCPU_READ;
  }
}
