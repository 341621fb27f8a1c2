package org.memvirt.engine.machine;

import java.util.List;
import org.memvirt.api.Clock;
import org.memvirt.api.Settings;
import org.memvirt.api.memory.HostMemory;
import org.memvirt.api.policy.PolicyContext;
import org.memvirt.api.reclaim.VmMemory;

/** What an allocation policy is given. */
record RunPolicyContext(Settings settings, HostMemory host, List<VmMemory> vms, Clock clock, long seed)
    implements PolicyContext {}
