package org.memvirt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.memvirt.api.AccessKind;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.sim.Experiments;
import org.memvirt.engine.sim.Simulation;
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
  private static final double RATE = 1e8;

  @Param({"ept", "shadow"})
  public String mmu;

  private Path temp;
  private long[] addresses;
  private byte[] kinds;
  private BareTranslationKernel kernel;
  private Simulation sim;
  private long now;

  @Setup(Level.Trial)
  public void prepare() throws IOException {
    Path text = Path.of(System.getProperty("memvirt.trace", "traces/sort.lackey.gz"));
    temp = Files.createTempDirectory("memvirt-bench");
    Path trace = temp.resolve("sort.mvt");
    try (TraceReader in = TraceFiles.open(text, null)) {
      TraceFiles.convert(in, trace, null);
    }
    load(trace);
    kernel = new BareTranslationKernel();
    kernel();
    sim = new Simulation(Experiments.parse("""
        duration: 100h
        metrics: {period: 60s}
        host: {memory: 4GiB}
        mmu: {type: %s}
        vms:
          - name: vm
            memory: 1GiB
            processes:
              - workload: {type: trace, path: "%s", loop: true, rate: 100M/s}
        """.formatted(mmu, trace.toAbsolutePath()), "bench"), PluginRegistry.discover());
    // One pass (24 ms at 100M/s) faults every page in.
    now = sim.advanceTo(30_000_000L);
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
    Files.deleteIfExists(temp.resolve("sort.mvt"));
    Files.deleteIfExists(temp);
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
    now = sim.advanceTo(now + (long) (BATCH * 1e9 / RATE));
    return now;
  }
}
