package org.memvirt.bench;

import java.util.concurrent.TimeUnit;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.run.Experiments;
import org.memvirt.engine.run.Simulation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Page sharing's scanners in steady state: four VMs of 256 MiB, each holding a 128 MiB image
 * (alike in every VM) and 64 MiB of its own, nearly idle; the scanner runs at 10 M pages
 * per simulated second, so each operation is one page scanned (ESX: one position of a VM's
 * random order; KSM: one present page) and the rest of the machine costs next to nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class SharingScanBenchmark {
  /** Pages scanned per invocation: 100 ms at 10 M pages/s. */
  static final int PAGES = 1_000_000;
  private static final long STEP = 100_000_000L;

  @Param({"esx", "ksm"})
  public String scanner;

  private Simulation sim;
  private long now;

  @Setup(Level.Trial)
  public void build() {
    String sharing = scanner.equals("esx")
        ? "{scanner: esx, scan_vm: 2500K/s, scan_total: 10M/s, period: 100ms}"
        : "{scanner: ksm, pages_to_scan: 100000, sleep_millisecs: 10}";
    sim = new Simulation(Experiments.parse("""
        duration: 100h
        metrics: {period: 60s}
        host: {memory: 2GiB}
        reclaim: {sharing: %s}
        vms:
          - name: vm
            copies: 4
            memory: 256MiB
            processes:
              - workload: {type: image, image: os, footprint: 128MiB, rate: 20K/s}
              - workload: {type: idle, footprint: 64MiB, active: 4KiB, writes: 1, rate: 20K/s, base: 0x30000000}
        """.formatted(sharing), "bench"), PluginRegistry.discover());
    // Five simulated seconds fill every VM (at 20K accesses/s each process) and give both scanners passes over them.
    now = sim.advanceTo(5_000_000_000L);
  }

  @Benchmark
  @OperationsPerInvocation(PAGES)
  public long scan() {
    now = sim.advanceTo(now + STEP);
    return now;
  }
}
