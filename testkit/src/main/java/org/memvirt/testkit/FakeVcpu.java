package org.memvirt.testkit;

import org.memvirt.api.AccessKind;
import org.memvirt.api.MetricNames;
import org.memvirt.api.memory.Pages;
import org.memvirt.api.mmu.Mmu;
import org.memvirt.api.mmu.TlbEntry;
import org.memvirt.api.mmu.VcpuMmu;
import org.memvirt.api.mmu.WalkResult;

/**
 * A vCPU of a {@link FakeMachine}, driving an MMU plugin's {@link VcpuMmu} as the engine's
 * vCPU does: it looks its {@link MapTlb} up, walks only on a miss, fills the TLB
 * with the walk's entry, and re-executes the access after a violation (resolved by the
 * fake machine) or a {@link WalkResult#REPEAT}. A guest page fault is returned to the test,
 * which maps the page by hand. It counts {@code walks} and {@code retries} as the engine does.
 */
public final class FakeVcpu {
  /** Re-executions of one access before the technique is called broken. */
  public static final int MAX_ATTEMPTS = 16;

  private final FakeMachine machine;
  private final MapTlb tlb;
  private final VcpuMmu mmu;

  /** vCPU 0 of {@code machine} under {@code mmu}, with an empty TLB of its own. */
  public FakeVcpu(FakeMachine machine, Mmu mmu) {
    this(machine, mmu, new MapTlb());
  }

  /** vCPU 0 of {@code machine} under {@code mmu}, with {@code tlb}. */
  public FakeVcpu(FakeMachine machine, Mmu mmu, MapTlb tlb) {
    this.machine = machine;
    this.tlb = tlb;
    this.mmu = mmu.vcpu(machine.vcpu(tlb));
  }

  /** The technique's part of this vCPU (for CR3 loads and invalidations). */
  public VcpuMmu mmu() {
    return mmu;
  }

  /** This vCPU's TLB. */
  public MapTlb tlb() {
    return tlb;
  }

  /**
   * An access of {@code kind} (see {@link AccessKind}) to {@code gva}: the host physical
   * address, or {@link WalkResult#GUEST_FAULT} when the guest tables do not map it.
   */
  public long translate(long gva, int kind) {
    long vpn = Pages.number(gva);
    boolean write = kind == AccessKind.WRITE;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (attempt > 0) {
        machine.counter(MetricNames.RETRIES).increment();
      }
      long entry = tlb.lookup(vpn, kind);
      if (!TlbEntry.serves(entry, write)) {
        machine.counter(MetricNames.WALKS).increment();
        entry = mmu.walk(gva, kind);
        if (entry == WalkResult.GUEST_FAULT) {
          return WalkResult.GUEST_FAULT;
        }
        if (WalkResult.isViolation(entry)) {
          machine.resolveNestedFault(WalkResult.violationPage(entry), WalkResult.violationWrite(entry));
          continue;
        }
        if (entry == WalkResult.REPEAT) {
          continue;
        }
        if (entry < 0) {
          throw new IllegalStateException(String.format("the walk of 0x%x returned %d, neither a TLB entry nor a "
              + "WalkResult", gva, entry));
        }
        tlb.fill(vpn, entry, kind);
      }
      return (TlbEntry.hostFrame(entry, vpn) << Pages.SHIFT) | (gva & Pages.OFFSET_MASK);
    }
    throw new IllegalStateException(String.format("access to 0x%x still faults after %d re-executions", gva,
        MAX_ATTEMPTS));
  }
}
