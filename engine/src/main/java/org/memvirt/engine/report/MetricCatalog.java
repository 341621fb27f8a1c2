package org.memvirt.engine.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.memvirt.api.MetricInfo;
import org.memvirt.api.MetricNames;
import org.memvirt.engine.plugin.PluginRegistry;

/**
 * Every metric documented once: the engine's here, each technique's in its factory's
 * {@code metrics()}. The metrics table of docs/metrics.md is this catalog as Markdown (a test keeps
 * them equal), and {@code memvirt metrics} prints it for the plugins installed.
 */
public final class MetricCatalog {
  private MetricCatalog() {}

  /** The engine's own metrics, in report order. */
  public static final List<MetricInfo> ENGINE = List.of(
      MetricInfo.counter(MetricNames.ACCESSES, "accesses", "Memory accesses the workloads issued (each page an access touches counts once)."),
      MetricInfo.counter(MetricNames.TLB_L1I_MISSES, "lookups", "L1 instruction-TLB misses (a re-executed access's lookup is not counted again)."),
      MetricInfo.counter(MetricNames.TLB_L1D_MISSES, "lookups", "L1 data-TLB misses (likewise)."),
      MetricInfo.counter(MetricNames.TLB_L2_HITS, "lookups", "L1 misses that hit the unified L2 TLB."),
      MetricInfo.counter(MetricNames.TLB_L2_MISSES, "lookups", "L1 misses that missed the L2 TLB too: each starts a walk."),
      MetricInfo.counter(MetricNames.TLB_FLUSH, "flushes", "Whole-TLB flushes (CR3 loads without tags, INVEPT); KVM's name."),
      MetricInfo.counter(MetricNames.WALKS, "walks", "Hardware page walks, walks aborted by a nested fault and walks that set a dirty bit included."),
      MetricInfo.counter(MetricNames.WALK_REFS, "references", "Memory references made by walks: `walk_refs_guest` + `walk_refs_nested`."),
      MetricInfo.counter(MetricNames.WALK_REFS_GUEST, "references", "Walk references that read a guest page-table entry."),
      MetricInfo.counter(MetricNames.WALK_REFS_NESTED, "references", "Walk references that read a nested (EPT) entry."),
      MetricInfo.counter(MetricNames.NATIVE_WALK_REFS, "references", "References the same walks make natively (with the same guest walk cache)."),
      MetricInfo.counter(MetricNames.WALK_REFS_SAVED, "references", "References the walk caches and the nested TLB saved against cold walks."),
      MetricInfo.counter(MetricNames.RETRIES, "accesses", "Re-executions of an access after a fault was resolved (a guest fault, a nested fault)."),
      MetricInfo.counter(MetricNames.PF_GUEST, "faults", "Page faults delivered to the guest OS; KVM's name."),
      MetricInfo.counter(MetricNames.EPT_VIOLATIONS, "faults", "Nested faults: a guest page without a usable host frame, in walks and in the guest kernel's own accesses."),
      MetricInfo.counter(MetricNames.EXITS, "exits", "VM exits of every reason."),
      MetricInfo.counter(MetricNames.GUEST_SWAP_OUTS, "pages", "Pages the guest OS wrote to its swap device."),
      MetricInfo.counter(MetricNames.GUEST_SWAP_INS, "pages", "Pages the guest OS read back from its swap device."),
      MetricInfo.counter(MetricNames.FRAMES_ZEROED, "frames", "Host frames zeroed before being handed to the VM (at the host: to techniques)."),
      MetricInfo.counter(MetricNames.CONTEXT_SWITCHES, "switches", "Guest process switches (CR3 loads), a process's exit included."),
      MetricInfo.counter(MetricNames.PROCESS_EXITS, "processes", "Processes that reached their `lifetime` and were replaced."),
      MetricInfo.counter(MetricNames.BLOCKED_NS, "ns", "Simulated time the VM's vCPUs waited in the host's low state, above their target."),
      MetricInfo.counter("large_splits", "mappings", "2 MiB host mappings split into 4 KiB ones."),
      MetricInfo.counter("pwc_hits", "lookups", "Hits in the guest (or, under shadow paging, shadow) walk cache."),
      MetricInfo.counter("nested_pwc_hits", "lookups", "Hits in the nested walk cache."),
      MetricInfo.counter("ntlb_hits", "lookups", "Hits in the nested TLB."),
      MetricInfo.derived(MetricNames.CYCLES, "cycles", "Cycles under virtualization: the cost model's sum, waits at `host.cpu_ghz`; the host's: the VMs' added up (its own work is `host_cycles`)."),
      MetricInfo.derived(MetricNames.NATIVE_CYCLES, "cycles", "Cycles the same accesses cost natively."),
      MetricInfo.derived(MetricNames.SLOWDOWN, "ratio", "`cycles / native_cycles`; the host's: of the VMs together, a mean weighted by their work."),
      MetricInfo.derived(MetricNames.TLB_MPKA, "misses/1000 accesses", "`tlb_l2_misses` per thousand `accesses`; the host's: of all VMs together."),
      MetricInfo.derived(MetricNames.REFS_PER_WALK, "references/walk", "`walk_refs / walks`: what a TLB miss costs in memory references (up to 24 nested, 4 native); the host's: of all VMs' walks."),
      MetricInfo.derived(MetricNames.HOST_CYCLES, "cycles", "(host) Cycles the host spends on its own work, stalling no VM: the sharing scanners' hashing and comparing, the techniques' host-level events."),
      MetricInfo.gauge(MetricNames.CONSUMED, "pages", "Host memory charged to the VM: private frames plus its part k/n of each shared frame (rounded); at the host, exact. ESX's name."),
      MetricInfo.gauge(MetricNames.GRANTED, "pages", "Guest pages backed by host memory: private, shared and zero; the host's: of all VMs. ESX's name."),
      MetricInfo.gauge(MetricNames.PRIVATE, "pages", "Guest pages mapped to a frame of their own."),
      MetricInfo.gauge(MetricNames.PRIVATE_FREE, "pages", "Of the `private` pages, those free in the guest: what free page reporting or a balloon could take at no cost to the guest."),
      MetricInfo.gauge(MetricNames.SHARED, "pages", "Guest pages mapped copy-on-write to a shared or held frame; the host's: of all VMs. ESX's name."),
      MetricInfo.gauge(MetricNames.ZERO, "pages", "Guest pages known to be zero: with no frame, or shared with a frame of zeros (the zero page); the host's: of all VMs. ESX's name."),
      MetricInfo.gauge(MetricNames.BALLOONED, "pages", "Guest pages a balloon holds. ESX's name."),
      MetricInfo.gauge(MetricNames.SWAPPED, "pages", "Guest pages on a host swap device. ESX's name."),
      MetricInfo.gauge(MetricNames.COMPRESSED, "pages", "Guest pages the host holds compressed. ESX's name."),
      MetricInfo.gauge(MetricNames.UNBACKED, "pages", "Guest pages never backed: untouched, or given back unbacked."),
      MetricInfo.gauge(MetricNames.GUEST_USED, "pages", "Guest physical pages the guest OS uses (data, page tables, pinned)."),
      MetricInfo.gauge(MetricNames.GUEST_FREE, "pages", "Guest physical pages on the guest's free lists."),
      MetricInfo.gauge(MetricNames.GUEST_SWAPPED, "pages", "Pages in the guest's swap device."),
      MetricInfo.gauge(MetricNames.ACTIVE, "pages", "The allocation policy's estimate of the pages the VM uses, when it makes one. ESX's name."),
      MetricInfo.gauge(MetricNames.TARGET, "pages", "The VM's target. ESX's name."),
      MetricInfo.gauge(MetricNames.MEMSZ, "pages", "The VM's configured memory (`vms[i].memory`). ESX's name."),
      MetricInfo.gauge(MetricNames.MIN, "pages", "The VM's `min`: backed pages reclamation leaves it."),
      MetricInfo.gauge(MetricNames.MAX, "pages", "The VM's `max`: backed pages it may hold."),
      MetricInfo.derived(MetricNames.ELAPSED_NS, "ns", "Simulated time the VM's work took from the warm-up on, stalls included (its slowest vCPU); no host figure."),
      MetricInfo.derived(MetricNames.NATIVE_ELAPSED_NS, "ns", "Simulated time the same work takes natively; no host figure."),
      MetricInfo.derived(MetricNames.ELAPSED_SLOWDOWN, "ratio", "`elapsed_ns / native_elapsed_ns`; the host's: the VMs' elapsed time over their native time, both summed (a mean weighted by work)."),
      MetricInfo.derived(MetricNames.THROUGHPUT, "accesses/s", "`accesses` per second of `elapsed_ns`; the host's: the VMs' added up."),
      MetricInfo.derived(MetricNames.EXITS_PER_S, "exits/s", "`exits` per second of `elapsed_ns`; the host's: the VMs' added up."),
      MetricInfo.derived(MetricNames.SIMULATED_NS, "ns", "Simulated time the VM ran (its workloads may finish early)."),
      MetricInfo.gauge("host_frames", "frames", "(host) Frames of host memory."),
      MetricInfo.gauge(MetricNames.HOST_FREE, "frames", "(host) Frames free."),
      MetricInfo.gauge(MetricNames.HOST_STATE, "state", "(host) Free-memory state: 0 high, 1 soft, 2 hard, 3 low."),
      MetricInfo.gauge(MetricNames.HOST_FREE_HIGH, "frames", "(host) Free frames at which the host is back in the high state (`host.thresholds.high`)."),
      MetricInfo.gauge(MetricNames.HOST_FREE_SOFT, "frames", "(host) Free frames below which the host enters the soft state."),
      MetricInfo.gauge(MetricNames.HOST_FREE_HARD, "frames", "(host) Free frames below which the host enters the hard state."),
      MetricInfo.gauge(MetricNames.HOST_FREE_LOW, "frames", "(host) Free frames below which the host enters the low state."),
      MetricInfo.gauge(MetricNames.SHARED_COMMON, "frames", "(host) Frames backing shared pages: shared frames and held frames some page maps."),
      MetricInfo.gauge(MetricNames.SHARED_SAVED, "frames", "(host) Frames sharing saves: shared pages less `shared_common`."),
      MetricInfo.gauge(MetricNames.HOST_HELD, "frames", "(host) Frames techniques hold for their own use."),
      MetricInfo.derived(MetricNames.SHARED_FRACTION, "fraction", "(host) `shared` pages of all VMs over their configured memory (Waldspurger's Fig. 4 measure)."),
      MetricInfo.derived(MetricNames.SAVED_FRACTION, "fraction", "(host) `shared_saved` over the VMs' configured memory: the part of it sharing reclaimed."),
      MetricInfo.derived("oracle_checks", "reads", "(host, with verify) Reads the content oracle checked."));

  /** The engine's metrics and every installed technique's, each name once. */
  public static List<MetricInfo> all(PluginRegistry registry) {
    Map<String, MetricInfo> all = new LinkedHashMap<>();
    ENGINE.forEach(m -> all.put(m.name(), m));
    Map<String, List<MetricInfo>> byTechnique = new TreeMap<>();
    registry.mmus().forEach((name, f) -> byTechnique.put("mmu:" + name, f.metrics()));
    registry.reclaimers().forEach((name, f) -> byTechnique.put("reclaim:" + name, f.metrics()));
    registry.policies().forEach((name, f) -> byTechnique.put("policy:" + name, f.metrics()));
    registry.workloads().forEach((name, f) -> byTechnique.put("workload:" + name, f.metrics()));
    byTechnique.forEach((technique, metrics) -> metrics.forEach(m -> all.putIfAbsent(m.name(),
        new MetricInfo(m.name(), m.unit(), m.kind(), "(" + technique.substring(technique.indexOf(':') + 1) + ") "
            + m.meaning()))));
    return List.copyOf(all.values());
  }

  /** The names of the gauges among {@code metrics}: levels the warm-up leaves alone. */
  public static Set<String> gauges(List<MetricInfo> metrics) {
    return metrics.stream().filter(m -> m.kind() == MetricInfo.Kind.GAUGE).map(MetricInfo::name)
        .collect(Collectors.toSet());
  }

  /** The catalog as a Markdown table: metric, kind, unit, meaning. */
  public static String markdown(List<MetricInfo> metrics) {
    List<String> lines = new ArrayList<>();
    lines.add("| metric | kind | unit | meaning |");
    lines.add("|---|---|---|---|");
    for (MetricInfo m : metrics) {
      lines.add("| `" + m.name() + "` | " + m.kind().word() + " | " + m.unit() + " | " + m.meaning() + " |");
    }
    return String.join("\n", lines) + "\n";
  }
}
