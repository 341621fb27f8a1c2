package org.memvirt.api.workload;

import org.memvirt.api.TechniqueFactory;

/** Makes the access stream of one guest process ({@code workload.type}). */
public interface WorkloadFactory extends TechniqueFactory {
  /**
   * The most guest memory, in bytes, one process of this workload touches at once with
   * {@code settings} (its data and its code), or -1 when the factory cannot tell. The engine
   * sizes its heap estimate by it: memory a VM never touches costs next to nothing, so a
   * VM whose processes touch little is estimated at what they touch, not at its size. The
   * default cannot tell. Return -1 rather than fail on bad settings: {@link #create} says
   * what is wrong with them.
   */
  default long footprintBytes(org.memvirt.api.Settings settings) {
    return -1;
  }

  /** Reads the workload's keys from {@link WorkloadContext#settings()}. */
  Workload create(WorkloadContext context);
}
