package org.memvirt.engine.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.memvirt.api.Counter;
import org.memvirt.api.MetricNames;
import org.memvirt.engine.experiment.Experiment;
import org.memvirt.engine.hardware.MetricScope;
import org.memvirt.engine.hypervisor.MemoryAccounting;
import org.memvirt.engine.machine.Machine;
import org.memvirt.engine.vm.ContentOracle;
import org.memvirt.engine.vm.Vcpu;
import org.memvirt.engine.vm.VirtualMachine;

/**
 * What a run reports: the time series (every counter and gauge of every VM, sampled from
 * time 0 every metrics period) and the result at the end, with the derived values (cycles,
 * slowdown, elapsed time).
 */
public final class RunReport {
  /** The order counters are reported in; counters not listed follow, by name. */
  private final Machine machine;
  private final List<RunResult.Sample> samples = new ArrayList<>();

  public RunReport(Machine machine) {
    this.machine = machine;
  }

  /** Takes a sample of every VM at {@code now} (unless one was taken then already). */
  public void sample(long now) {
    if (!samples.isEmpty() && samples.get(samples.size() - 1).timeNanos() == now) {
      return;
    }
    Map<String, Long> hostGauges = MemoryAccounting.hostGauges(machine.host, machine.vms);
    for (VirtualMachine vm : machine.vms) {
      Map<String, Long> values = counters(vm);
      // Cycles too, so that slowdown over an interval is a ratio of differences.
      values.put(MetricNames.CYCLES, machine.costs.cycles(name -> values.getOrDefault(name, 0L)));
      values.put(MetricNames.NATIVE_CYCLES, machine.costs.nativeCycles(name -> values.getOrDefault(name, 0L)));
      values.putAll(MemoryAccounting.vmGauges(vm, machine.host));
      // The host's own gauges and counters ride along; a name both have (consumed) stays the VM's.
      hostGauges.forEach(values::putIfAbsent);
      for (Counter c : machine.hostMetrics.all()) {
        values.putIfAbsent(c.name(), c.get());
      }
      samples.add(new RunResult.Sample(now, vm.name(), values));
    }
  }

  /** The result at {@code endNanos}. */
  public RunResult result(long endNanos, boolean partial, String failure) {
    sample(endNanos);
    List<RunResult.VmResult> vmResults = new ArrayList<>();
    Map<String, Long> vmSums = new LinkedHashMap<>();
    double sumElapsed = 0;
    double sumNative = 0;
    for (VirtualMachine vm : machine.vms) {
      Map<String, Long> c = counters(vm);
      c.forEach((k, val) -> vmSums.merge(k, val, Long::sum));
      Map<String, Number> metrics = derive(c);
      metrics.putAll(MemoryAccounting.vmGauges(vm, machine.host));
      metrics.put(MetricNames.MEMSZ, vm.pages());
      metrics.put(MetricNames.MIN, vm.minPages());
      metrics.put(MetricNames.MAX, vm.maxPages());
      double elapsed = 0;
      double nativeElapsed = 0;
      for (Vcpu v : vm.vcpus()) {
        elapsed = Math.max(elapsed, v.elapsed());
        nativeElapsed = Math.max(nativeElapsed, v.nativeElapsed());
      }
      time(metrics, c.get(MetricNames.ACCESSES), elapsed, nativeElapsed);
      sumElapsed += elapsed;
      sumNative += nativeElapsed;
      metrics.put(MetricNames.SIMULATED_NS, simulatedNanos(vm, endNanos));
      List<Map<String, Long>> perVcpu = new ArrayList<>();
      for (Vcpu v : vm.vcpus()) {
        Map<String, Long> m = new LinkedHashMap<>();
        add(m, v.scope());
        perVcpu.add(m);
      }
      vmResults.add(new RunResult.VmResult(vm.name(), metrics, List.copyOf(perVcpu)));
    }
    Map<String, Number> host = hostCounters(vmSums);
    host.putAll(MemoryAccounting.hostGauges(machine.host, machine.vms));
    // ESX's zero of all VMs: each VM's needs a scan of its map, done above.
    host.put(MetricNames.ZERO, vmResults.stream().mapToLong(v -> v.metrics().get(MetricNames.ZERO).longValue()).sum());
    long configured = machine.vms.stream().mapToLong(VirtualMachine::pages).sum();
    host.put(MetricNames.SHARED_FRACTION, host.get(MetricNames.SHARED).doubleValue() / configured);
    host.put(MetricNames.SAVED_FRACTION, host.get(MetricNames.SHARED_SAVED).doubleValue() / configured);
    hostTimes(host, vmResults, sumElapsed, sumNative);
    host.put(MetricNames.SIMULATED_NS, endNanos);
    if (machine.experiment.verify) {
      host.put("oracle_checks", machine.oracles.stream().mapToLong(ContentOracle::checks).sum());
    }
    Experiment e = machine.experiment;
    return new RunResult(e.name, e.seed, e.mmuType, endNanos, e.durationNanos, e.measureAfterNanos, partial, failure,
        host, vmResults,
        List.copyOf(samples));
  }

  /**
   * The host's column, each figure one thing: the VMs' counters added up with the host's
   * own; slowdown and the other ratios of the VMs together (sums over sums: means weighted by
   * work); the cycles the host spends on its own work apart ({@code host_cycles}), for they
   * stall no VM.
   */
  private Map<String, Number> hostCounters(Map<String, Long> vmSums) {
    Map<String, Long> own = new LinkedHashMap<>();
    add(own, machine.hostMetrics);
    Map<String, Long> counters = new LinkedHashMap<>(vmSums);
    own.forEach((k, val) -> counters.merge(k, val, Long::sum));
    Map<String, Number> host = new LinkedHashMap<>(counters);
    derive(vmSums).forEach((k, val) -> {
      if (!counters.containsKey(k)) {
        host.put(k, val);
      }
    });
    host.put(MetricNames.HOST_CYCLES, machine.costs.cycles(name -> own.getOrDefault(name, 0L)));
    return host;
  }

  /**
   * The host's time figures: the VMs' elapsed time over their native time, summed (a mean
   * weighted by work), and their rates added up. A time of one VM (elapsed, native elapsed)
   * has no host figure: the longest of them over the longest native is a ratio of two
   * different VMs.
   */
  private static void hostTimes(Map<String, Number> host, List<RunResult.VmResult> vmResults, double sumElapsed,
      double sumNative) {
    host.put(MetricNames.ELAPSED_SLOWDOWN, sumNative == 0 ? 1.0 : sumElapsed / sumNative);
    host.put(MetricNames.THROUGHPUT, vmResults.stream().mapToDouble(v -> v.metrics().get(MetricNames.THROUGHPUT)
        .doubleValue()).sum());
    host.put(MetricNames.EXITS_PER_S, vmResults.stream().mapToDouble(v -> v.metrics().get(MetricNames.EXITS_PER_S)
        .doubleValue()).sum());
  }

  /** Elapsed and native time, their ratio, and throughput. */
  private static void time(Map<String, Number> m, long accesses, double elapsed, double nativeElapsed) {
    long exits = m.getOrDefault(MetricNames.EXITS, 0L).longValue();
    m.put(MetricNames.ELAPSED_NS, Math.round(elapsed));
    m.put(MetricNames.NATIVE_ELAPSED_NS, Math.round(nativeElapsed));
    m.put(MetricNames.ELAPSED_SLOWDOWN, nativeElapsed == 0 ? 1.0 : elapsed / nativeElapsed);
    m.put(MetricNames.THROUGHPUT, elapsed == 0 ? 0.0 : accesses * 1e9 / elapsed);
    m.put(MetricNames.EXITS_PER_S, elapsed == 0 ? 0.0 : exits * 1e9 / elapsed);
  }

  /** How far a VM's clock got: its furthest vCPU, at most the time reached. */
  private static long simulatedNanos(VirtualMachine vm, long endNanos) {
    double t = 0;
    for (Vcpu v : vm.vcpus()) {
      t = Math.max(t, v.time());
    }
    return Math.min(endNanos, (long) Math.ceil(t));
  }

  /** A VM's counters: its own plus its vCPUs', in report order. */
  private static Map<String, Long> counters(VirtualMachine vm) {
    Map<String, Long> sums = new TreeMap<>();
    add(sums, vm.scope());
    for (Vcpu v : vm.vcpus()) {
      add(sums, v.scope());
    }
    Map<String, Long> ordered = new LinkedHashMap<>();
    for (String name : VirtualMachine.COUNTERS) {
      ordered.put(name, sums.getOrDefault(name, 0L));
    }
    sums.forEach(ordered::putIfAbsent);
    return ordered;
  }

  private static void add(Map<String, Long> sums, MetricScope scope) {
    for (Counter c : scope.all()) {
      sums.merge(c.name(), c.get(), Long::sum);
    }
  }

  private Map<String, Number> derive(Map<String, Long> counters) {
    Map<String, Number> m = new LinkedHashMap<>(counters);
    long cycles = machine.costs.cycles(name -> counters.getOrDefault(name, 0L));
    long nativeCycles = machine.costs.nativeCycles(name -> counters.getOrDefault(name, 0L));
    m.put(MetricNames.CYCLES, cycles);
    m.put(MetricNames.NATIVE_CYCLES, nativeCycles);
    m.put(MetricNames.SLOWDOWN, nativeCycles == 0 ? 1.0 : (double) cycles / nativeCycles);
    long accesses = counters.getOrDefault(MetricNames.ACCESSES, 0L);
    long walks = counters.getOrDefault(MetricNames.WALKS, 0L);
    m.put(MetricNames.TLB_MPKA, accesses == 0 ? 0.0 : counters.getOrDefault(MetricNames.TLB_L2_MISSES, 0L) * 1000.0 / accesses);
    m.put(MetricNames.REFS_PER_WALK, walks == 0 ? 0.0 : (double) counters.getOrDefault(MetricNames.WALK_REFS, 0L) / walks);
    return m;
  }
}
