package org.memvirt.api.mmu;

/**
 * What {@link VcpuMmu#walk} returns. A result of zero or more is a {@link TlbEntry}: the
 * walk found the translation, and the vCPU fills its TLB with it and uses it. A negative
 * result says why the access stopped, and the vCPU re-executes it after:
 * <ul>
 *   <li>{@link #GUEST_FAULT}: the guest page tables do not map the address; the guest
 *       handles a page fault;
 *   <li>{@link #violation}: a nested entry (EPT) has no usable host frame for the guest
 *       physical page; the hypervisor resolves the violation (a VM exit);
 *   <li>{@link #REPEAT}: the technique took an exit and resolved what stopped the walk
 *       itself (a shadow-paging hidden fault).
 * </ul>
 */
public final class WalkResult {
  /** The guest page tables do not map the address: a guest page fault. */
  public static final long GUEST_FAULT = -1;
  /** The technique resolved the fault itself; re-execute the access. */
  public static final long REPEAT = -2;
  /** Results at or below this are violations: {@code FIRST_VIOLATION - (gppn << 1 | write)}. */
  private static final long FIRST_VIOLATION = -4;

  private WalkResult() {}

  /** An EPT violation on guest physical page {@code gppn}, for a write if {@code write}. */
  public static long violation(long gppn, boolean write) {
    return FIRST_VIOLATION - ((gppn << 1) | (write ? 1 : 0));
  }

  /** Whether {@code result} is a {@link #violation}. */
  public static boolean isViolation(long result) {
    return result <= FIRST_VIOLATION;
  }

  /** The guest physical page of a {@link #violation}. */
  public static long violationPage(long result) {
    return (FIRST_VIOLATION - result) >>> 1;
  }

  /** Whether a {@link #violation} was taken by a write. */
  public static boolean violationWrite(long result) {
    return ((FIRST_VIOLATION - result) & 1) != 0;
  }
}
