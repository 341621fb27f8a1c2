package org.memvirt.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.memvirt.engine.run.Simulation;
import org.memvirt.trace.TraceFiles;
import org.memvirt.trace.TraceReader;
import org.memvirt.trace.TraceRecords;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Replaying the shipped real trace (GNU sort, 2,404,405 records), as gzipped lackey text and
 * as memvirt's binary format. {@code decode}: reading records alone, one operation per
 * record. {@code replay}: the trace as a looping workload of one VM under nested paging,
 * one operation per access (every page already faulted in). Run from the repository's
 * root, or name the trace with {@code -Dmemvirt.trace=FILE}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class TraceReplayBenchmark {
  static final int RECORDS = 2_404_405;
  static final int BATCH = 1_000_000;

  @Param({"lackey", "mvt"})
  public String format;

  private ShippedTrace trace;
  private final TraceRecords records = new TraceRecords(4096);
  private Simulation sim;
  private long now;

  @Setup(Level.Trial)
  public void prepare() throws IOException {
    trace = format.equals("mvt") ? ShippedTrace.binary() : ShippedTrace.lackey();
    long[] at = new long[1];
    sim = trace.replaying("ept", at);
    now = at[0];
  }

  @TearDown(Level.Trial)
  public void cleanUp() throws IOException {
    trace.close();
  }

  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public long decode() throws IOException {
    long sum = 0;
    try (TraceReader r = TraceFiles.open(trace.path, null)) {
      int n;
      while ((n = r.read(records)) > 0) {
        sum += n + records.addresses[n - 1];
      }
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long replay() {
    now = sim.advanceTo(now + (long) (BATCH * ShippedTrace.NANOS_PER_ACCESS));
    return now;
  }
}
