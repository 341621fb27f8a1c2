package org.memvirt.api.reclaim;

import org.memvirt.api.TechniqueFactory;

/** Makes the reclaimer of one run for one technique (named under {@code reclaim:}). */
public interface ReclaimerFactory extends TechniqueFactory {
  /**
   * The keys this technique reads in each VM's section ({@code vms[i]}), documented: a
   * driver's presence, a per-VM salt.
   */
  default java.util.List<org.memvirt.api.SettingInfo> vmSettings() {
    return java.util.List.of();
  }

  Reclaimer create(ReclaimContext context);
}
