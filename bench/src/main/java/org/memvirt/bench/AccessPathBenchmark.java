package org.memvirt.bench;

import java.util.concurrent.TimeUnit;
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
 * The per-access path in steady state, single-threaded: translate (TLB, 2D walk), read or
 * write the frame, counters, the workload generating the access. Each operation is one
 * access. {@code tlb-hits}: a footprint the L1 dTLB covers; {@code tlb-misses}: a uniform
 * footprint 40x the L2 TLB's reach, touched once before measuring so no faults remain.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class AccessPathBenchmark {
  /** Accesses per benchmark invocation. */
  static final int BATCH = 1_000_000;
  private static final double RATE = 1e8; // 100M/s: BATCH accesses = 10 ms of simulated time

  @Param({"tlb-hits", "tlb-misses"})
  public String pattern;

  @Param({"ept", "shadow"})
  public String mmu;

  private Simulation sim;
  private long now;

  @Setup(Level.Trial)
  public void build() {
    String workload = pattern.equals("tlb-hits")
        ? "{type: uniform, footprint: 128KiB, writes: 0.3, rate: 100M/s}"
        : "{type: uniform, footprint: 256MiB, writes: 0.3, rate: 100M/s}";
    sim = OneVmMachine.running(mmu, workload);
    // 20 ms = 2M accesses: every one of the 65,536 pages has been touched (1 - e^-30).
    now = sim.advanceTo(20_000_000L);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long access() {
    now = sim.advanceTo(now + (long) (BATCH * 1e9 / RATE));
    return now;
  }
}
