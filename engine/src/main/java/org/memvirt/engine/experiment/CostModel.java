package org.memvirt.engine.experiment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.memvirt.api.Counter;
import org.memvirt.api.MetricNames;
import org.memvirt.api.mmu.CostEntry.Unit;
import org.memvirt.api.mmu.CostEntry;
import org.memvirt.engine.config.ConfigSettings;
import org.memvirt.engine.config.ExperimentException;

/**
 * Costs of the events the machine counts, in cycles (CPU work) or nanoseconds (waits: I/O).
 * A run's cycles are the sum over entries of count × cost (waits converted at the host's
 * clock rate); the native baseline charges the same events but walks of native length and
 * none of the virtualization-only events. Every entry can be overridden under
 * {@code costs:}; techniques add theirs. Defaults assume a 2.5 GHz x86-64 core
 * ({@code host.cpu_ghz}); sources beside each entry.
 *
 * <p>Time: a workload's rate is its pace natively, CPU work included. What an event adds
 * under virtualization stalls its vCPU: {@code (cycles - native_cycles) / cpu_ghz}, plus
 * every wait. Natively, the native waits stall too. {@link #attach} gives each priced
 * counter these two amounts per event.
 */
public final class CostModel {
  /** One cost: its key, the counter it multiplies, the counter charged natively (null: none), its unit. */
  public record Entry(String key, String counter, String nativeCounter, long defaultCost, Unit unit, String source) {}

  /** The engine's own costs; techniques add theirs (see {@link #from}). */
  public static final List<Entry> ENTRIES = List.of(
      cycles("access", MetricNames.ACCESSES, MetricNames.ACCESSES, 20,
          "average data access once translated: a mix of L1/L2 cache hits (assumption)"),
      cycles("tlb_l2_hit", MetricNames.TLB_L2_HITS, MetricNames.TLB_L2_HITS, 7,
          "STLB hit latency on recent Intel cores, ~7 cycles (Intel optimization manual)"),
      cycles("walk_ref", MetricNames.WALK_REFS, MetricNames.NATIVE_WALK_REFS, 20,
          "one page-walk memory reference; walk entries mostly hit the L2 cache (Bhargava ASPLOS'08)"),
      cycles("vm_exit", MetricNames.EXITS, null, 1200,
          "VM exit + entry round trip, ~1000-1500 cycles on Nehalem..Haswell (Agesen et al. ATC'12)"),
      cycles("zero_frame", MetricNames.FRAMES_ZEROED, null, 1000,
          "zeroing a 4 KiB host frame (estimate: ~4 B/cycle with cache misses)"),
      cycles("guest_page_fault", MetricNames.PF_GUEST, MetricNames.PF_GUEST, 2000,
          "guest kernel page-fault handling, ~1 us (estimate)"),
      new Entry("guest_swap_in", MetricNames.GUEST_SWAP_INS, MetricNames.GUEST_SWAP_INS, 100_000, Unit.NANOSECONDS,
          "4 KiB read from an SSD, ~100 us"),
      new Entry("guest_swap_out", MetricNames.GUEST_SWAP_OUTS, MetricNames.GUEST_SWAP_OUTS, 100_000,
          Unit.NANOSECONDS, "4 KiB write to an SSD, ~100 us"),
      cycles("context_switch", MetricNames.CONTEXT_SWITCHES, MetricNames.CONTEXT_SWITCHES, 2000,
          "guest process switch, ~1 us (estimate)"));

  private static Entry cycles(String key, String counter, String nativeCounter, long cost, String source) {
    return new Entry(key, counter, nativeCounter, cost, Unit.CYCLES, source);
  }

  private final List<Entry> entries;
  private final Map<String, Long> costs;
  private final double ghz;
  /** Per counter name: {stall ns per event under virtualization, natively}. */
  private final Map<String, double[]> stallPerEvent = new HashMap<>();

  private CostModel(List<Entry> entries, Map<String, Long> costs, double ghz) {
    this.entries = entries;
    this.costs = costs;
    this.ghz = ghz;
    for (Entry e : entries) {
      double cost = costs.get(e.key());
      if (e.unit() == Unit.CYCLES) {
        stall(e.counter())[0] += cost / ghz;
        if (e.nativeCounter() != null) {
          stall(e.nativeCounter())[0] -= cost / ghz;
        }
      } else {
        stall(e.counter())[0] += cost;
        if (e.nativeCounter() != null) {
          stall(e.nativeCounter())[1] += cost;
        }
      }
    }
  }

  private double[] stall(String counter) {
    return stallPerEvent.computeIfAbsent(counter, c -> new double[2]);
  }

  /**
   * The engine's entries and the techniques', with the overrides of a {@code costs:}
   * section; unknown keys fail, naming the known ones.
   */
  public static CostModel from(ConfigSettings section, double ghz, List<CostEntry> techniques) {
    List<Entry> all = new ArrayList<>(ENTRIES);
    for (CostEntry c : techniques) {
      all.add(new Entry(c.key(), c.counter(), c.nativeToo() ? c.counter() : null, c.defaultCycles(), c.unit(),
          c.source()));
    }
    Map<String, Long> costs = new LinkedHashMap<>();
    for (Entry e : all) {
      if (costs.put(e.key(), e.defaultCost()) != null) {
        throw new ExperimentException("two techniques declare the cost '" + e.key() + "'");
      }
    }
    for (String key : section.presentKeys()) {
      if (!costs.containsKey(key)) {
        throw section.invalid(key, "one of the cost names " + String.join(", ", costs.keySet()));
      }
      long c = section.count(key, 0);
      if (c < 0) {
        throw section.invalid(key, "a cost, 0 or more");
      }
      costs.put(key, c);
    }
    // Read the rest too, so the resolved experiment lists every cost in use.
    costs.forEach(section::count);
    return new CostModel(List.copyOf(all), costs, ghz);
  }

  /** Gives a counter its stall per event, if the model prices it. */
  public void attach(Counter counter, double[] pending) {
    double[] s = stallPerEvent.get(counter.name());
    if (s != null) {
      counter.stalls(pending, s[0], s[1]);
    }
  }

  private long inCycles(Entry e) {
    long c = costs.get(e.key());
    return e.unit() == Unit.CYCLES ? c : Math.round(c * ghz);
  }

  /** Cycles under virtualization, from a scope's counters (waits at the clock rate). */
  public long cycles(ToLongFunction<String> counters) {
    long sum = 0;
    for (Entry e : entries) {
      sum += counters.applyAsLong(e.counter()) * inCycles(e);
    }
    return sum;
  }

  /** Cycles the same accesses would cost natively. */
  public long nativeCycles(ToLongFunction<String> counters) {
    long sum = 0;
    for (Entry e : entries) {
      if (e.nativeCounter() != null) {
        sum += counters.applyAsLong(e.nativeCounter()) * inCycles(e);
      }
    }
    return sum;
  }
}
