package org.memvirt.reclaim.sharing;

import java.util.List;
import org.memvirt.api.Counter;
import org.memvirt.api.memory.HostMemory;
import org.memvirt.api.reclaim.ReclaimContext;
import org.memvirt.api.reclaim.VmMemory;

/**
 * What either scanner works with: the machine, its settings, the frame side, each VM's salt
 * and whether it is scanned, and the counters both keep (per VM: pages scanned, merged,
 * merged with the zero frame; per host: pages hashed, full comparisons).
 */
record ScanContext(HostMemory host, List<VmMemory> vms, SharingSettings settings, SharedMappings mappings,
    Salts salts, boolean[] enabled, Counter[] scanned, Counter[] merged, Counter[] zeroMerged, Counter hashes,
    Counter compares, ReclaimContext reclaim) {

  static ScanContext of(ReclaimContext ctx, SharingSettings settings, SharedMappings mappings, Salts salts,
      boolean[] enabled) {
    int n = ctx.vms().size();
    Counter[] scanned = new Counter[n];
    Counter[] merged = new Counter[n];
    Counter[] zeroMerged = new Counter[n];
    for (VmMemory vm : ctx.vms()) {
      scanned[vm.index()] = vm.metrics().counter(SharingMetrics.SCANNED.name());
      merged[vm.index()] = vm.metrics().counter(SharingMetrics.MERGED.name());
      zeroMerged[vm.index()] = vm.metrics().counter(SharingMetrics.ZERO_MERGED.name());
    }
    return new ScanContext(ctx.host(), ctx.vms(), settings, mappings, salts, enabled, scanned, merged, zeroMerged,
        ctx.hostMetrics().counter(SharingMetrics.HASHES.name()), ctx.hostMetrics().counter(SharingMetrics.COMPARES.name()), ctx);
  }

  /** A host counter or gauge of the scanner's own. */
  Counter hostCounter(String name) {
    return reclaim.hostMetrics().counter(name);
  }
}
