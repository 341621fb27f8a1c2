package org.memvirt.engine.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.memvirt.api.MetricNames;
import org.memvirt.api.mmu.CostEntry;
import org.memvirt.engine.config.ConfigSettings;
import org.memvirt.engine.config.ExperimentException;

/**
 * Cycle costs of the events the machine counts. A run's cycles are the sum over entries of
 * count × cost; the native baseline charges the same events but walks of native length
 * and none of the virtualization-only events. Every entry can be overridden under
 * {@code costs:}. Defaults assume a ~2.5 GHz x86-64 core; sources beside each entry.
 */
public final class CostModel {
  /** One cost: its key, the counter it multiplies, and the counter charged natively (null: none). */
  public record Entry(String key, String counter, String nativeCounter, long defaultCycles, String source) {}

  /** The engine's own costs; techniques add theirs (see {@link #from}). */
  public static final List<Entry> ENTRIES = List.of(
      new Entry("access", MetricNames.ACCESSES, MetricNames.ACCESSES, 20,
          "average data access once translated: a mix of L1/L2 cache hits (assumption)"),
      new Entry("tlb_l2_hit", MetricNames.TLB_L2_HITS, MetricNames.TLB_L2_HITS, 7,
          "STLB hit latency on recent Intel cores, ~7 cycles (Intel optimization manual)"),
      new Entry("walk_ref", MetricNames.WALK_REFS, MetricNames.NATIVE_WALK_REFS, 20,
          "one page-walk memory reference; walk entries mostly hit the L2 cache (Bhargava ASPLOS'08)"),
      new Entry("vm_exit", MetricNames.EXITS, null, 1200,
          "VM exit + entry round trip, ~1000-1500 cycles on Nehalem..Haswell (Agesen et al. ATC'12)"),
      new Entry("zero_frame", MetricNames.FRAMES_ZEROED, null, 1000,
          "zeroing a 4 KiB host frame (estimate: ~4 B/cycle with cache misses)"),
      new Entry("guest_page_fault", MetricNames.PF_GUEST, MetricNames.PF_GUEST, 2000,
          "guest kernel page-fault handling, ~1 us (estimate)"),
      new Entry("guest_swap_in", MetricNames.GUEST_SWAP_INS, MetricNames.GUEST_SWAP_INS, 250_000,
          "4 KiB read from an SSD, ~100 us"),
      new Entry("guest_swap_out", MetricNames.GUEST_SWAP_OUTS, MetricNames.GUEST_SWAP_OUTS, 250_000,
          "4 KiB write to an SSD, ~100 us"),
      new Entry("context_switch", MetricNames.CONTEXT_SWITCHES, MetricNames.CONTEXT_SWITCHES, 2000,
          "guest process switch, ~1 us (estimate)"));

  private final List<Entry> entries;
  private final Map<String, Long> cycles;

  private CostModel(List<Entry> entries) {
    this.entries = entries;
    this.cycles = new LinkedHashMap<>();
    entries.forEach(e -> cycles.put(e.key(), e.defaultCycles()));
  }

  /** The engine's defaults and those of {@code technique}, with the overrides of a {@code costs:} section; unknown keys fail. */
  public static CostModel from(ConfigSettings costs, List<CostEntry> technique) {
    List<Entry> all = new ArrayList<>(ENTRIES);
    for (CostEntry c : technique) {
      all.add(new Entry(c.key(), c.counter(), c.nativeToo() ? c.counter() : null, c.defaultCycles(), c.source()));
    }
    CostModel model = new CostModel(List.copyOf(all));
    for (String key : costs.presentKeys()) {
      if (!model.cycles.containsKey(key)) {
        throw costs.invalid(key, "one of the cost names " + String.join(", ", model.cycles.keySet()));
      }
      long c = costs.count(key, 0);
      if (c < 0) {
        throw costs.invalid(key, "a number of cycles, 0 or more");
      }
      model.cycles.put(key, c);
    }
    // Read the rest too, so the resolved experiment lists every cost in use.
    model.cycles.forEach((key, c) -> costs.count(key, c));
    return model;
  }

  public long cycles(String key) {
    Long c = cycles.get(key);
    if (c == null) {
      throw new ExperimentException("no cost named '" + key + "'");
    }
    return c;
  }

  /** Cycles under virtualization, from a scope's counters. */
  public long cycles(ToLongFunction<String> counters) {
    long sum = 0;
    for (Entry e : entries) {
      sum += counters.applyAsLong(e.counter()) * cycles.get(e.key());
    }
    return sum;
  }

  /** Cycles the same accesses would cost natively. */
  public long nativeCycles(ToLongFunction<String> counters) {
    long sum = 0;
    for (Entry e : entries) {
      if (e.nativeCounter() != null) {
        sum += counters.applyAsLong(e.nativeCounter()) * cycles.get(e.key());
      }
    }
    return sum;
  }
}
