package org.memvirt.engine.machine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.memvirt.api.Counter;
import org.memvirt.api.MetricNames;
import org.memvirt.api.Techniques;
import org.memvirt.api.mmu.CostEntry;
import org.memvirt.api.mmu.Mmu;
import org.memvirt.api.mmu.MmuFactory;
import org.memvirt.api.policy.AllocationPolicy;
import org.memvirt.api.policy.AllocationPolicyFactory;
import org.memvirt.api.reclaim.ReclaimerFactory;
import org.memvirt.api.reclaim.VmMemory;
import org.memvirt.api.workload.Workload;
import org.memvirt.api.workload.WorkloadFactory;
import org.memvirt.engine.config.ConfigSettings;
import org.memvirt.engine.experiment.CostModel;
import org.memvirt.engine.experiment.Experiment;
import org.memvirt.engine.experiment.ProcessSpec;
import org.memvirt.engine.experiment.Seeds;
import org.memvirt.engine.experiment.TechniqueSpec;
import org.memvirt.engine.experiment.TlbSpec;
import org.memvirt.engine.experiment.VmSpec;
import org.memvirt.engine.experiment.WalkCacheSpec;
import org.memvirt.engine.guest.GuestProcess;
import org.memvirt.engine.hardware.LruWalkCache;
import org.memvirt.engine.hardware.MetricScope;
import org.memvirt.engine.hardware.SetAssociativeTlb;
import org.memvirt.engine.hardware.TlbHierarchy;
import org.memvirt.engine.hypervisor.Hypervisor;
import org.memvirt.engine.hypervisor.Technique;
import org.memvirt.engine.hypervisor.TechniqueHost;
import org.memvirt.engine.hypervisor.TechniqueView;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.vm.ContentOracle;
import org.memvirt.engine.vm.Task;
import org.memvirt.engine.vm.Vcpu;
import org.memvirt.engine.vm.VirtualMachine;

/**
 * Assembles the {@link Machine} of one run from an experiment and the plugins it names:
 * picks every factory first (their costs make the cost model), then builds the host, the
 * VMs with their MMUs, vCPUs and processes, the reclamation techniques and the policy,
 * and the daemons that run them.
 */
public final class MachineBuilder {
  private final Experiment experiment;
  private final PluginRegistry registry;
  private final ConfigSettings root;
  private final MmuFactory mmuFactory;
  private final Map<String, ReclaimerFactory> reclaimerFactories = new LinkedHashMap<>();
  private final AllocationPolicyFactory policyFactory;
  private final List<List<WorkloadFactory>> workloadFactories = new ArrayList<>();
  private Machine machine;

  private MachineBuilder(Experiment experiment, PluginRegistry registry) {
    this.experiment = experiment;
    this.registry = registry;
    this.root = new ConfigSettings(experiment.tree, "");
    this.mmuFactory = pick(registry.mmus(), experiment.mmuType, experiment.mmuSettings, "type", Techniques.Kind.MMU);
    ConfigSettings reclaimSection = root.section("reclaim");
    for (TechniqueSpec t : experiment.reclaimers) {
      ReclaimerFactory f = registry.reclaimers().get(t.name());
      if (f == null) {
        throw reclaimSection.invalid(t.name(), "a known reclamation technique ("
            + known(registry.reclaimers().keySet()) + ")" + missing(Techniques.Kind.RECLAIM, t.name()));
      }
      reclaimerFactories.put(t.name(), f);
    }
    this.policyFactory = experiment.policy == null ? null
        : pick(registry.policies(), experiment.policy.name(), experiment.policy.settings(), "type",
            Techniques.Kind.POLICY);
    for (int v = 0; v < experiment.vms.size(); v++) {
      List<WorkloadFactory> fs = new ArrayList<>();
      // The VM's own section: copies of one VM share theirs.
      List<ConfigSettings> processSections = experiment.vms.get(v).settings().sectionList("processes");
      List<ProcessSpec> processes = experiment.vms.get(v).processes();
      for (int p = 0; p < processes.size(); p++) {
        fs.add(pick(registry.workloads(), processes.get(p).workloadType(), processSections.get(p).section("workload"),
            "type", Techniques.Kind.WORKLOAD));
      }
      workloadFactories.add(fs);
    }
  }

  /** The machine of one run, every plugin's settings read and checked. */
  public static Machine build(Experiment experiment, PluginRegistry registry) {
    return new MachineBuilder(experiment, registry).build();
  }

  private Machine build() {
    CostModel costs = CostModel.from(experiment.costs, experiment.cpuGhz, techniqueCosts());
    List<MetricScope> vmScopes = new ArrayList<>();
    List<double[]> stalls = new ArrayList<>();
    List<Counter> zeroed = new ArrayList<>();
    for (int i = 0; i < experiment.vms.size(); i++) {
      double[] stall = new double[2];
      MetricScope s = new MetricScope(c -> costs.attach(c, stall));
      for (String name : VirtualMachine.COUNTERS) {
        s.counter(name);
      }
      stalls.add(stall);
      vmScopes.add(s);
      zeroed.add(s.counter(MetricNames.FRAMES_ZEROED));
    }
    machine = new Machine(experiment, costs, zeroed);
    for (int v = 0; v < experiment.vms.size(); v++) {
      VirtualMachine vm = new VirtualMachine(v, experiment.vms.get(v), vmScopes.get(v), stalls.get(v),
          machine.hypervisor);
      machine.hypervisor.addVm(vm);
      machine.vms.add(vm);
    }
    for (VirtualMachine vm : machine.vms) {
      buildVm(vm);
    }
    buildTechniques();
    buildPolicy();
    experiment.checkNoUnknownKeys();
    return machine;
  }

  /** Every technique's and workload's declared costs, each factory once. */
  private List<CostEntry> techniqueCosts() {
    List<CostEntry> all = new ArrayList<>(mmuFactory.costs());
    reclaimerFactories.values().forEach(f -> all.addAll(f.costs()));
    if (policyFactory != null) {
      all.addAll(policyFactory.costs());
    }
    workloadFactories.stream().flatMap(List::stream).distinct().forEach(f -> all.addAll(f.costs()));
    return all;
  }

  private void buildVm(VirtualMachine vm) {
    VmSpec spec = vm.spec();
    int v = vm.index();
    Mmu mmu = start(Techniques.Kind.MMU, experiment.mmuType,
        () -> mmuFactory.create(new VmMmuContext(vm, machine.hypervisor, experiment.mmuSettings)));
    vm.attach(mmu);
    ContentOracle oracle = experiment.verify ? new ContentOracle(spec.name()) : null;
    if (oracle != null) {
      machine.oracles.add(oracle);
    }
    for (int c = 0; c < spec.vcpus(); c++) {
      MetricScope scope = new MetricScope(counter -> machine.costs.attach(counter, vm.pendingStall));
      TlbHierarchy tlb = new TlbHierarchy(tlb(experiment.l1i), tlb(experiment.l1d), tlb(experiment.l2),
          experiment.tlbTagged, scope);
      WalkCacheSpec wc = experiment.walkCaches;
      Vcpu vcpu = new Vcpu(vm, machine.vcpus.size(), tlb, scope, machine.hypervisor, machine.clock, oracle);
      vcpu.attach(mmu, new VcpuMmuContext(c, tlb, scope,
          new LruWalkCache(5, wc.entries(), scope.counter("pwc_hits")),
          new LruWalkCache(5, wc.nestedEntries(), scope.counter("nested_pwc_hits")),
          new LruWalkCache(0, wc.nestedTlb(), scope.counter("ntlb_hits"))));
      vm.addVcpu(vcpu);
      machine.vcpus.add(vcpu);
    }
    int processIndex = 0;
    for (int p = 0; p < spec.processes().size(); p++) {
      ProcessSpec ps = spec.processes().get(p);
      WorkloadFactory wf = workloadFactories.get(v).get(p);
      for (int copy = 0; copy < ps.copies(); copy++, processIndex++) {
        int index = processIndex;
        Vcpu vcpu = vm.vcpus().get(processIndex % spec.vcpus());
        Task.Spawner spawner = generation -> {
          GuestProcess process = vm.kernel().createProcess(ps.largePages());
          long seed = Seeds.mix(experiment.seed, v, index, generation);
          Workload w = start(Techniques.Kind.WORKLOAD, ps.workloadType(), () -> wf.create(new ProcessWorkloadContext(
              ps.workload(), seed, spec.name(), index, spec.memoryBytes(), spec.swapBytes(), () -> (long) vcpu.time(),
              vm.scope())));
          return new Task.Incarnation(process, w);
        };
        vcpu.add(new Task(spawner, ps.accessesPerSecond(),
            ps.switchesPerSecond(), ps.accessLimit(), ps.lifetime()));
      }
    }
  }

  private void buildTechniques() {
    Hypervisor hypervisor = machine.hypervisor;
    for (TechniqueSpec t : experiment.reclaimers) {
      Technique technique = hypervisor.addTechnique(t.name());
      technique.reclaimer = start(Techniques.Kind.RECLAIM, t.name(), () -> reclaimerFactories.get(t.name()).create(
          new RunReclaimContext(t.settings(),
          technique.host, technique.vmViews(), machine.clock, Seeds.mix(experiment.seed, Seeds.of(t.name())),
          machine.hostMetrics, technique.id)));
      if (technique.reclaimer.periodNanos() > 0) {
        machine.daemons.add(new Daemon("reclaim:" + t.name(), technique.reclaimer.periodNanos(),
            technique.reclaimer::tick));
      }
    }
    hypervisor.reclamation().techniquesReady();
    checkLimitsCanBeHeld();
    if (!experiment.reclaimers.isEmpty()) {
      machine.daemons.add(new Daemon("reclaim", experiment.reclaimPeriodNanos, now -> hypervisor.reclamation().reclaimTick()));
    }
  }

  /**
   * Refuses a VM limit ({@code max}) below memory that none of the configured techniques can
   * hold the VM within (sharing alone, a balloon in a VM without its driver), naming each
   * technique's reason: such a run could only stop when the VM reached its limit.
   */
  private void checkLimitsCanBeHeld() {
    List<Technique> techniques = machine.hypervisor.techniques();
    for (VirtualMachine vm : machine.vms) {
      if (vm.maxPages() >= vm.pages() || techniques.isEmpty()) {
        continue;
      }
      long lowest = vm.pages();
      List<String> why = new ArrayList<>();
      for (Technique t : techniques) {
        org.memvirt.api.reclaim.LimitReach reach = t.reclaimer.limitReach(t.view(vm));
        lowest = Math.min(lowest, Math.max(reach.pages(), vm.minPages()));
        if (reach.why() != null) {
          why.add(t.name + ": " + reach.why());
        }
      }
      if (vm.maxPages() < lowest) {
        throw vm.spec().settings().invalid("max", "a limit the configured reclamation can hold vm " + vm.name()
            + " within, at least " + org.memvirt.engine.config.Units.formatBytes(lowest << 12) + " ("
            + String.join("; ", why) + "); or a technique that holds a VM lower");
      }
    }
  }

  private void buildPolicy() {
    if (policyFactory == null) {
      return;
    }
    machine.hypervisor.reclamation().policySetsTargets();
    String label = "allocation policy " + experiment.policy.name();
    List<VmMemory> views = new ArrayList<>();
    for (VirtualMachine vm : machine.vms) {
      views.add(new TechniqueView(vm, machine.hypervisor, TechniqueView.POLICY, label));
    }
    AllocationPolicy policy = start(Techniques.Kind.POLICY, experiment.policy.name(),
        () -> policyFactory.create(new RunPolicyContext(experiment.policy.settings(),
            new TechniqueHost(machine.hypervisor, TechniqueView.POLICY, label), List.copyOf(views), machine.clock,
            Seeds.mix(experiment.seed, Seeds.of("policy")))));
    if (policy.samplePeriodNanos() > 0) {
      machine.daemons.add(new Daemon("policy-sample", policy.samplePeriodNanos(), policy::sample));
    }
    machine.daemons.add(new Daemon("policy", policy.periodNanos(), policy::allocate));
  }

  private static SetAssociativeTlb tlb(TlbSpec spec) {
    return new SetAssociativeTlb(spec.entries(), spec.ways());
  }

  private <T> T pick(Map<String, T> known, String name, ConfigSettings where, String key, Techniques.Kind kind) {
    T f = known.get(name);
    if (f == null) {
      throw where.invalid(key, "a known " + kind.word() + " (" + known(known.keySet()) + ")" + missing(kind, name));
    }
    return f;
  }

  /** Why a technique named but not known is missing, when a plugin offered it: "; ..." or nothing. */
  private String missing(Techniques.Kind kind, String name) {
    String why = registry.whyMissing(kind, name);
    return why == null ? "" : "; " + why;
  }

  /**
   * Makes a plugin's part ({@code make}); a plugin that fails there with anything but a
   * one-line input error ends the run in one line naming the plugin and its jar.
   */
  private <T> T start(Techniques.Kind kind, String name, java.util.function.Supplier<T> make) {
    try {
      return make.get();
    } catch (org.memvirt.api.BadInputException e) {
      throw e;
    } catch (RuntimeException | LinkageError e) {
      org.memvirt.engine.plugin.LoadedPlugin p = registry.providerOf(kind, name);
      String who = p == null ? "" : " (plugin " + p.descriptor().id() + ", " + p.source() + ")";
      String m = e.getMessage() == null ? e.getClass().getName() : e.getClass().getSimpleName() + ": "
          + e.getMessage().lines().findFirst().orElse("");
      throw new PluginFailure(kind.word() + " '" + name + "'" + who + " failed to start: " + m, e);
    }
  }

  private static String known(Collection<String> names) {
    return names.isEmpty() ? "none installed" : String.join(", ", new TreeSet<>(names));
  }
}
