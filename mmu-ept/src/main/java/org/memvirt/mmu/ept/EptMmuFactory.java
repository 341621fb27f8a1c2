package org.memvirt.mmu.ept;

import org.memvirt.api.SettingInfo;
import java.util.List;
import org.memvirt.api.MetricInfo;
import org.memvirt.api.MetricNames;
import org.memvirt.api.Settings;
import org.memvirt.api.mmu.CostEntry;
import org.memvirt.api.mmu.Mmu;
import org.memvirt.api.mmu.MmuContext;
import org.memvirt.api.mmu.MmuFactory;

/**
 * Makes nested-paging MMUs. Reads {@code mmu.nested_levels}: the levels of the nested
 * table, 4 (EPT's default) or 5.
 */
public final class EptMmuFactory implements MmuFactory {
  static final String NAME = "ept";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "nested paging (EPT/NPT): 2D page walks, no exits for guest page-table updates";
  }

  @Override
  public List<CostEntry> costs() {
    return List.of(new CostEntry("ept_violation", MetricNames.EPT_VIOLATIONS, 2000, false,
        "hypervisor work to back a guest page after the exit (estimate)"));
  }

  @Override
  public List<MetricInfo> metrics() {
    return List.of(MetricInfo.counter("invept", "flushes", "P2M changes that flushed every vCPU's TLBs and walk caches (INVEPT)."));
  }

  @Override
  public java.util.List<SettingInfo> settings() {
    return java.util.List.of(
        new SettingInfo("nested_levels", "4", "levels of the nested (EPT) table: 4, or 5 (LA57)"));
  }

  @Override
  public Mmu create(MmuContext context) {
    Settings s = context.settings();
    long levels = s.count("nested_levels", 4);
    if (levels != 4 && levels != 5) {
      throw s.invalid("nested_levels", "4 or 5");
    }
    return new EptMmu(context, (int) levels);
  }
}
