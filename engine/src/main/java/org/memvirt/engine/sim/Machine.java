package org.memvirt.engine.sim;

import java.util.ArrayList;
import java.util.List;
import org.memvirt.api.Counter;
import org.memvirt.api.MetricNames;
import org.memvirt.api.memory.Pages;
import org.memvirt.engine.machine.HostFrames;
import org.memvirt.engine.machine.MetricScope;

/**
 * Everything one run simulates, as {@link MachineBuilder} assembled it from an experiment:
 * the clock, the host and its hypervisor, the VMs with their vCPUs, the daemons, the cost
 * model and the oracles.
 */
final class Machine {
  final Experiment experiment;
  final SimClock clock = new SimClock();
  final MetricScope hostMetrics = new MetricScope();
  final CostModel costs;
  final HostFrames host;
  final Hypervisor hypervisor;
  final List<VirtualMachine> vms = new ArrayList<>();
  final List<Vcpu> vcpus = new ArrayList<>();
  final List<Daemon> daemons = new ArrayList<>();
  final List<ContentOracle> oracles = new ArrayList<>();

  /** The host and its hypervisor; VMs, vCPUs and daemons are added by the builder. */
  Machine(Experiment experiment, CostModel costs, List<Counter> zeroedByVm) {
    this.experiment = experiment;
    this.costs = costs;
    this.host = new HostFrames(Pages.count(experiment.hostMemoryBytes), experiment.hostLargePagesBytes >> 21,
        experiment.thresholds, zeroedByVm, hostMetrics.counter(MetricNames.FRAMES_ZEROED));
    this.hypervisor = new Hypervisor(host, clock);
  }
}
