package org.memvirt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.memvirt.engine.run.Simulation;
import org.memvirt.trace.TraceFiles;
import org.memvirt.trace.TraceReader;

/**
 * The shipped sort trace for the replay benchmarks: as gzipped lackey text, or converted to
 * memvirt's binary format in a temporary folder; and a machine replaying it in a loop.
 * Run from the repository's root, or name the trace with {@code -Dmemvirt.trace=FILE}.
 */
final class ShippedTrace implements AutoCloseable {
  /** Nanoseconds of simulated time per access: the replay runs at 100 M accesses/s. */
  static final double NANOS_PER_ACCESS = 1e9 / 1e8;

  final Path path;
  private final Path temp;

  private ShippedTrace(Path path, Path temp) {
    this.path = path;
    this.temp = temp;
  }

  /** The lackey text as shipped. */
  static ShippedTrace lackey() {
    return new ShippedTrace(text(), null);
  }

  /** The trace converted to memvirt's binary format, deleted on {@link #close}. */
  static ShippedTrace binary() throws IOException {
    Path temp = Files.createTempDirectory("memvirt-bench");
    Path mvt = temp.resolve("sort.mvt");
    try (TraceReader in = TraceFiles.open(text(), null)) {
      TraceFiles.convert(in, mvt, null);
    }
    return new ShippedTrace(mvt, temp);
  }

  private static Path text() {
    return Path.of(System.getProperty("memvirt.trace", "traces/sort.lackey.gz"));
  }

  /**
   * One VM replaying the trace in a loop under {@code mmu}, metrics on, oracle off, with one
   * pass (24 ms) already run so that every page is faulted in; {@code now[0]} is set to the
   * simulated time reached.
   */
  Simulation replaying(String mmu, long[] now) {
    Simulation sim = OneVmMachine.running(mmu,
        "{type: trace, path: \"%s\", loop: true, rate: 100M/s}".formatted(path.toAbsolutePath()));
    now[0] = sim.advanceTo(30_000_000L);
    return sim;
  }

  @Override
  public void close() throws IOException {
    if (temp != null) {
      Files.deleteIfExists(path);
      Files.deleteIfExists(temp);
    }
  }
}
