package org.memvirt.engine.report;

import java.util.List;
import java.util.Map;

/**
 * What a run measured: metrics of the host and of each VM (counters and derived values, by
 * stable name, in a stable order), and the time series sampled every metrics period.
 * {@code partial} when the run was stopped before its end: the figures cover
 * {@code simulatedNanos} of the experiment's {@code durationNanos}. Counters are measured
 * from {@code warmUpNanos} on (0: from the start; {@code measure.after}). {@code failure}
 * says why when the run could not go on (the host out of memory, a VM at its limit); null
 * otherwise.
 */
public record RunResult(String experiment, long seed, String mmu, long simulatedNanos, long durationNanos,
    long warmUpNanos, boolean partial, String failure, Map<String, Number> host, List<VmResult> vms,
    List<Sample> timeSeries) {

  /** One VM's totals, and the counters of each of its vCPUs. */
  public record VmResult(String name, Map<String, Number> metrics, List<Map<String, Long>> vcpus) {}

  /** One VM's counters at one sample time. */
  public record Sample(long timeNanos, String vm, Map<String, Long> values) {}

  public VmResult vm(String name) {
    return vms.stream().filter(v -> v.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no vm " + name));
  }
}
