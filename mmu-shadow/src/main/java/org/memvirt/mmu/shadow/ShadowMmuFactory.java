package org.memvirt.mmu.shadow;

import org.memvirt.api.SettingInfo;
import java.util.List;
import org.memvirt.api.MetricInfo;
import org.memvirt.api.Settings;
import org.memvirt.api.mmu.CostEntry;
import org.memvirt.api.mmu.Mmu;
import org.memvirt.api.mmu.MmuContext;
import org.memvirt.api.mmu.MmuFactory;

/**
 * Makes shadow-paging MMUs. Settings under {@code mmu}:
 *
 * <pre>
 * root_cache: 4          shadow roots kept per VM; 0 discards and rebuilds on every switch
 *                        (KVM keeps the current root and 3 previous ones)
 * unsync: true           let leaf shadow pages go out of sync (KVM's unsync, Xen's oos)
 * flood_threshold: 3     writes without use after which a shadow page is dropped (KVM: 3)
 * </pre>
 */
public final class ShadowMmuFactory implements MmuFactory {
  static final String NAME = "shadow";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "shadow paging: native-length walks, exits for page-table writes, CR3 loads and hidden faults";
  }

  @Override
  public List<MetricInfo> metrics() {
    return List.of(
        MetricInfo.counter(ShadowMetrics.EXITS_CR3, "exits", "Exits for CR3 loads."),
        MetricInfo.counter(ShadowMetrics.EXITS_PTE_WRITE, "exits", "Exits for writes to write-protected guest tables."),
        MetricInfo.counter(ShadowMetrics.EXITS_HIDDEN_FAULT, "exits", "Exits for shadow misses (hidden faults)."),
        MetricInfo.counter(ShadowMetrics.EXITS_INVLPG, "exits", "Exits for `invlpg`/`invpcid`."),
        MetricInfo.counter(ShadowMetrics.MMU_PTE_WRITE, "writes", "Emulated guest PTE writes; KVM's name."),
        MetricInfo.counter(ShadowMetrics.MMU_SHADOW_ZAPPED, "pages", "Shadow pages dropped; KVM's name."),
        MetricInfo.counter(ShadowMetrics.MMU_UNSYNC, "pages", "Shadow pages let out of sync; KVM's name."),
        MetricInfo.counter(ShadowMetrics.MMU_FLOODED, "pages", "Shadow pages dropped for write flooding."),
        MetricInfo.gauge(ShadowMetrics.SHADOW_PAGES, "pages", "Shadow pages now."),
        MetricInfo.counter(ShadowMetrics.SHADOW_ROOTS_REBUILT, "roots", "Shadow roots built from scratch on a CR3 load."));
  }

  @Override
  public List<CostEntry> costs() {
    return List.of(
        new CostEntry("hidden_fault", ShadowMetrics.EXITS_HIDDEN_FAULT, 1500, false,
            "software walk of the guest tables and shadow fill after the exit (estimate)"),
        new CostEntry("pte_write_emulation", ShadowMetrics.MMU_PTE_WRITE, 800, false,
            "decode and emulate the trapped guest store, update the shadow (estimate)"),
        new CostEntry("cr3_switch", ShadowMetrics.EXITS_CR3, 300, false,
            "look up or build the shadow root after the exit (estimate)"));
  }

  @Override
  public java.util.List<SettingInfo> settings() {
    return java.util.List.of(
        new SettingInfo("root_cache", "4", "shadow roots kept per VM besides those in use; 0 rebuilds on every switch (KVM keeps 4)"),
        new SettingInfo("unsync", "true", "a leaf shadow page may go out of sync after its first trapped write (KVM unsync, Xen oos)"),
        new SettingInfo("flood_threshold", "3", "trapped writes without a use in between before a shadow page is dropped (KVM)"));
  }

  @Override
  public Mmu create(MmuContext context) {
    Settings s = context.settings();
    long roots = s.count("root_cache", 4);
    if (roots < 0 || roots > 1024) {
      throw s.invalid("root_cache", "a number of cached shadow roots from 0 to 1024");
    }
    boolean unsync = s.flag("unsync", true);
    long flood = s.count("flood_threshold", 3);
    if (flood < 1 || flood > Integer.MAX_VALUE) {
      throw s.invalid("flood_threshold", "a positive number of writes, at most 2147483647");
    }
    return new ShadowMmu(context, (int) roots, unsync, (int) flood);
  }
}
