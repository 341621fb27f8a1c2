package org.memvirt.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.memvirt.api.AccessKind;
import org.memvirt.engine.run.Simulation;
import org.memvirt.trace.TraceFiles;
import org.memvirt.trace.TraceKind;
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
 * Replay speed against its yardstick, side by side in one run: the shipped sort trace in
 * memvirt's binary format replayed through the whole machine ({@code memvirt}: one VM, the
 * trace looping, default TLBs, metrics on, oracle off, every page faulted in first) and the
 * same accesses through {@link BareTranslationKernel} ({@code kernel}: TLB lookups and a
 * native radix walk, nothing else). One operation is one access in both. Their ratio is
 * the replay-speed figure; {@code mmu} compares nested paging's hit path with shadow
 * paging's. Run from the repository's root, or name the trace with
 * {@code -Dmemvirt.trace=FILE}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class ReplaySpeedBenchmark {
  /** Accesses the sort trace expands to (records crossing a page are one access per page). */
  static final int ACCESSES = 2_404_857;
  private static final int BATCH = 1_000_000;

  @Param({"ept", "shadow"})
  public String mmu;

  private ShippedTrace trace;
  private long[] addresses;
  private byte[] kinds;
  private BareTranslationKernel kernel;
  private Simulation sim;
  private long now;

  @Setup(Level.Trial)
  public void prepare() throws IOException {
    trace = ShippedTrace.binary();
    load(trace.path);
    kernel = new BareTranslationKernel();
    kernel();
    long[] at = new long[1];
    sim = trace.replaying(mmu, at);
    now = at[0];
  }

  /** The trace's accesses in memory, expanded as the trace workload expands them. */
  private void load(Path trace) throws IOException {
    addresses = new long[ACCESSES + 1024];
    kinds = new byte[ACCESSES + 1024];
    int n = 0;
    TraceRecords records = new TraceRecords(4096);
    try (TraceReader r = TraceFiles.open(trace, null)) {
      int count;
      while ((count = r.read(records)) > 0) {
        for (int i = 0; i < count; i++) {
          long a = records.addresses[i];
          byte kind = TraceKind.accessKind(records.kinds[i]);
          long last = (a + records.sizes[i] - 1) >>> 12;
          addresses[n] = a;
          kinds[n++] = kind;
          for (long page = (a >>> 12) + 1; page <= last; page++) {
            addresses[n] = page << 12;
            kinds[n++] = kind;
          }
        }
      }
    }
    if (n != ACCESSES) {
      throw new IllegalStateException("the trace expands to " + n + " accesses, not " + ACCESSES);
    }
    addresses = Arrays.copyOf(addresses, n);
    kinds = Arrays.copyOf(kinds, n);
  }

  @TearDown(Level.Trial)
  public void cleanUp() throws IOException {
    trace.close();
  }

  @Benchmark
  @OperationsPerInvocation(ACCESSES)
  public long kernel() {
    long sum = 0;
    for (int i = 0; i < addresses.length; i++) {
      sum += kernel.translate(addresses[i], kinds[i] == AccessKind.FETCH ? 2 : 0);
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long memvirt() {
    now = sim.advanceTo(now + (long) (BATCH * ShippedTrace.NANOS_PER_ACCESS));
    return now;
  }
}
