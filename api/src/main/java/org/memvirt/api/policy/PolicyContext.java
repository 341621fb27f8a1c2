package org.memvirt.api.policy;

import java.util.List;
import org.memvirt.api.Clock;
import org.memvirt.api.Settings;
import org.memvirt.api.memory.HostMemory;
import org.memvirt.api.reclaim.VmMemory;

/** What an allocation policy may see and change. */
public interface PolicyContext {
  /** The {@code policy} section of the experiment. */
  Settings settings();

  HostMemory host();

  List<VmMemory> vms();

  Clock clock();

  long seed();
}
