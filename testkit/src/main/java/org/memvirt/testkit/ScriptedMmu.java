package org.memvirt.testkit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.memvirt.api.mmu.Mmu;
import org.memvirt.api.mmu.VcpuContext;
import org.memvirt.api.mmu.VcpuMmu;
import org.memvirt.api.mmu.WalkResult;

/**
 * A translation technique whose walks return what a test scripted, one result per walk in
 * order ({@link org.memvirt.api.mmu.TlbEntry} values or {@link WalkResult}s); past the
 * script, every walk asks for a re-execution, as a technique that never resolves a fault
 * would. For testing what drives a {@link VcpuMmu}: the engine's vCPU, or {@link FakeVcpu}.
 */
public final class ScriptedMmu implements Mmu, VcpuMmu {
  private final Deque<Long> results = new ArrayDeque<>();
  private int walks;

  /** A technique whose walks return {@code script}, in order. */
  public ScriptedMmu(List<Long> script) {
    results.addAll(script);
  }

  /** Walks so far. */
  public int walks() {
    return walks;
  }

  @Override
  public VcpuMmu vcpu(VcpuContext vcpu) {
    return this;
  }

  @Override
  public void p2mChanged(long gppn) {}

  @Override
  public long walk(long gva, int kind) {
    walks++;
    return results.isEmpty() ? WalkResult.REPEAT : results.poll();
  }

  @Override
  public void loadCr3(long rootGppn) {}

  @Override
  public void invalidatePage(long gva) {}

  @Override
  public void flushTlb() {}
}
