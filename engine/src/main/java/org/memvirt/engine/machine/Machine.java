package org.memvirt.engine.machine;

import java.util.ArrayList;
import java.util.List;
import org.memvirt.api.Counter;
import org.memvirt.api.MetricNames;
import org.memvirt.api.memory.Pages;
import org.memvirt.engine.experiment.CostModel;
import org.memvirt.engine.experiment.Experiment;
import org.memvirt.engine.hardware.MetricScope;
import org.memvirt.engine.hardware.SimClock;
import org.memvirt.engine.host.HostFrames;
import org.memvirt.engine.hypervisor.Hypervisor;
import org.memvirt.engine.vm.ContentOracle;
import org.memvirt.engine.vm.Vcpu;
import org.memvirt.engine.vm.VirtualMachine;

/**
 * Everything one run simulates, as {@link MachineBuilder} assembled it from an experiment:
 * the clock, the host and its hypervisor, the VMs with their vCPUs, the daemons, the cost
 * model and the oracles.
 */
public final class Machine {
  public final Experiment experiment;
  public final SimClock clock = new SimClock();
  public final MetricScope hostMetrics = new MetricScope();
  public final CostModel costs;
  public final HostFrames host;
  public final Hypervisor hypervisor;
  public final List<VirtualMachine> vms = new ArrayList<>();
  public final List<Vcpu> vcpus = new ArrayList<>();
  public final List<Daemon> daemons = new ArrayList<>();
  public final List<ContentOracle> oracles = new ArrayList<>();

  /** The host and its hypervisor; VMs, vCPUs and daemons are added by the builder. */
  Machine(Experiment experiment, CostModel costs, List<Counter> zeroedByVm) {
    this.experiment = experiment;
    this.costs = costs;
    this.host = new HostFrames(Pages.count(experiment.hostMemoryBytes), experiment.hostLargePagesBytes >> 21,
        experiment.thresholds, zeroedByVm, hostMetrics.counter(MetricNames.FRAMES_ZEROED));
    this.hypervisor = new Hypervisor(host, clock);
  }
}
