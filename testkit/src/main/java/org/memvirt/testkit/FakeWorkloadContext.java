package org.memvirt.testkit;

import org.memvirt.api.Settings;
import org.memvirt.api.workload.WorkloadContext;

/** A workload's context for tests: its settings and seed, in VM "vm" of 1 GiB, process 0. */
public record FakeWorkloadContext(Settings settings, long seed) implements WorkloadContext {
  @Override
  public String vmName() {
    return "vm";
  }

  @Override
  public int processIndex() {
    return 0;
  }

  @Override
  public long vmMemoryBytes() {
    return 1L << 30;
  }
}
