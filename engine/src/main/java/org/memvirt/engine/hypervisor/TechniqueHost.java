package org.memvirt.engine.hypervisor;

import org.memvirt.api.memory.HostMemory;
import org.memvirt.api.memory.HostMemoryState;
import org.memvirt.engine.host.FrameTableViolation;
import org.memvirt.engine.host.HostFrames;

/**
 * Host memory as one technique sees it: allocation reclaims under pressure and within the
 * VM's limit as the engine's own does; frames it holds are held under its id; a broken
 * rule of the frame table is reported naming the technique.
 */
public final class TechniqueHost implements HostMemory {
  private final Hypervisor hypervisor;
  private final HostFrames host;
  private final int id;
  private final String label;

  public TechniqueHost(Hypervisor hypervisor, int id, String label) {
    this.hypervisor = hypervisor;
    this.host = hypervisor.host();
    this.id = id;
    this.label = label;
  }

  @Override
  public long totalFrames() {
    return host.totalFrames();
  }

  @Override
  public long freeFrames() {
    return host.freeFrames();
  }

  @Override
  public HostMemoryState state() {
    return host.state();
  }

  @Override
  public long thresholdFrames(HostMemoryState state) {
    return host.thresholdFrames(state);
  }

  @Override
  public long allocate(int vm, long gppn) {
    guard(() -> {});
    return hypervisor.reclamation().tryAllocate(hypervisor.vm(vm), gppn);
  }

  @Override
  public long allocateHeld() {
    guard(() -> {});
    return hypervisor.reclamation().tryAllocateHeld(id);
  }

  @Override
  public void free(long hppn) {
    guard(() -> host.free(hppn));
  }

  @Override
  public void share(long hppn) {
    guard(() -> host.share(hppn));
  }

  @Override
  public void addSharer(long hppn) {
    guard(() -> host.addSharer(hppn));
  }

  @Override
  public long dropSharer(long hppn) {
    long[] left = new long[1];
    guard(() -> left[0] = host.dropSharer(hppn));
    return left[0];
  }

  @Override
  public void makePrivate(long hppn, int vm, long gppn) {
    guard(() -> host.makePrivate(hppn, vm, gppn));
  }

  @Override
  public void give(long hppn, int vm, long gppn) {
    guard(() -> host.give(hppn, vm, gppn));
  }

  @Override
  public void take(long hppn) {
    guard(() -> host.take(hppn, id));
  }

  @Override
  public long sharers(long hppn) {
    return host.sharers(hppn);
  }

  @Override
  public long heldFrames() {
    return id == TechniqueView.POLICY ? 0 : host.heldFrames(id);
  }

  @Override
  public long content(long hppn) {
    return host.content(hppn);
  }

  @Override
  public void setContent(long hppn, long token) {
    host.setContent(hppn, token);
  }

  /** Runs a frame-table operation; a violation is reported naming the technique. */
  private void guard(Runnable operation) {
    if (id == TechniqueView.POLICY) {
      throw new FrameTableViolation(label + " changed host memory; a policy may only read it");
    }
    try {
      operation.run();
    } catch (FrameTableViolation e) {
      throw new FrameTableViolation(label + ": " + e.getMessage().substring("frame table: ".length()));
    }
  }
}
