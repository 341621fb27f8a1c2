package org.memvirt.mmu.ept;

import java.util.ArrayList;
import java.util.List;
import org.memvirt.api.Counter;
import org.memvirt.api.MetricNames;
import org.memvirt.api.mmu.Mmu;
import org.memvirt.api.mmu.MmuContext;
import org.memvirt.api.mmu.VcpuContext;
import org.memvirt.api.mmu.VcpuMmu;

/**
 * One VM under nested paging. Guest page-table writes are plain memory writes (no trap).
 * When the hypervisor changes a P2M entry, the combined GVA→HPA translations that used it
 * cannot be found by GPA, so every vCPU of the VM flushes its TLB and walk caches (INVEPT,
 * single context).
 */
final class EptMmu implements Mmu {
  private final MmuContext context;
  private final int nestedLevels;
  private final List<EptTranslation> vcpus = new ArrayList<>();
  private final Counter invept;
  private final Counter violations;

  EptMmu(MmuContext context, int nestedLevels) {
    this.context = context;
    this.nestedLevels = nestedLevels;
    this.invept = context.metrics().counter("invept");
    this.violations = context.metrics().counter(MetricNames.EPT_VIOLATIONS);
  }

  /** A guest-kernel access to an unbacked page is an EPT violation too. */
  @Override
  public void guestKernelFault(long gppn, boolean write) {
    violations.increment();
  }

  @Override
  public VcpuMmu vcpu(VcpuContext vcpu) {
    EptTranslation t = new EptTranslation(context, vcpu, nestedLevels);
    vcpus.add(t);
    return t;
  }

  @Override
  public void p2mChanged(long gppn) {
    invept.increment();
    for (EptTranslation t : vcpus) {
      t.invept();
    }
  }
}
