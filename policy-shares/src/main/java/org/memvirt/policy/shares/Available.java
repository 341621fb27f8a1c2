package org.memvirt.policy.shares;

import org.memvirt.api.memory.HostMemory;
import org.memvirt.api.memory.HostMemoryState;

/**
 * Host memory the policies divide: all of it but the high threshold's worth of free frames,
 * so that VMs at their targets leave the host in its high state (ESX keeps free memory above
 * its thresholds by setting targets).
 */
final class Available {
  private Available() {}

  static long pages(HostMemory host) {
    return Math.max(0, host.totalFrames() - host.thresholdFrames(HostMemoryState.HIGH));
  }
}
