package org.memvirt.engine.sim;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.memvirt.api.Counter;
import org.memvirt.api.MetricNames;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.memory.Pages;
import org.memvirt.api.mmu.Mmu;
import org.memvirt.api.mmu.MmuFactory;
import org.memvirt.api.policy.AllocationPolicy;
import org.memvirt.api.policy.AllocationPolicyFactory;
import org.memvirt.api.reclaim.Reclaimer;
import org.memvirt.api.reclaim.ReclaimerFactory;
import org.memvirt.api.reclaim.VmMemory;
import org.memvirt.api.workload.Workload;
import org.memvirt.api.workload.WorkloadFactory;
import org.memvirt.engine.config.ConfigSettings;
import org.memvirt.engine.config.ExperimentException;
import org.memvirt.engine.guest.GuestProcess;
import org.memvirt.engine.machine.HostFrames;
import org.memvirt.engine.machine.LruWalkCache;
import org.memvirt.engine.machine.MetricScope;
import org.memvirt.engine.machine.SetAssociativeTlb;
import org.memvirt.engine.machine.TlbHierarchy;
import org.memvirt.engine.plugin.PluginRegistry;

/**
 * One run of an experiment: builds the host, the VMs, their guests, vCPUs, MMUs and
 * workloads from the plugins the experiment names, then advances the simulated clock,
 * always running the vCPU that is furthest behind, and the daemons when they are due.
 */
public final class Simulation {
  /** Longest stretch one vCPU runs before the others catch up. */
  private static final double QUANTUM_NANOS = 100_000;
  /** Progress is reported every 1024 steps of the loop (a mask). */
  private static final long PROGRESS_STEPS = 1023;

  /** The order metrics are reported in; counters not listed follow, by name. */
  private static final List<String> ORDER = List.of(
      MetricNames.ACCESSES, MetricNames.TLB_L1I_MISSES, MetricNames.TLB_L1D_MISSES, MetricNames.TLB_L2_HITS,
      MetricNames.TLB_L2_MISSES, MetricNames.TLB_FLUSH, MetricNames.WALKS, MetricNames.WALK_REFS,
      MetricNames.WALK_REFS_GUEST, MetricNames.WALK_REFS_NESTED, MetricNames.NATIVE_WALK_REFS,
      MetricNames.WALK_REFS_SAVED, MetricNames.PF_GUEST, MetricNames.EPT_VIOLATIONS, MetricNames.EXITS,
      MetricNames.GUEST_SWAP_OUTS, MetricNames.GUEST_SWAP_INS, MetricNames.FRAMES_ZEROED,
      MetricNames.CONTEXT_SWITCHES, MetricNames.PROCESS_EXITS);

  private final Experiment experiment;
  private final SimClock clock = new SimClock();
  private final MetricScope hostMetrics = new MetricScope();
  private final HostFrames host;
  private final Hypervisor hypervisor;
  private final List<VirtualMachine> vms = new ArrayList<>();
  private final List<Vcpu> vcpus = new ArrayList<>();
  private final List<Daemon> daemons = new ArrayList<>();
  private final List<RunResult.Sample> samples = new ArrayList<>();
  private final List<ContentOracle> oracles = new ArrayList<>();
  private final CostModel costs;
  private long endNanos;
  private boolean started;
  private volatile boolean stopRequested;
  private boolean stopped;
  private ProgressListener progress;

  /** Told how a run advances, from the thread that runs it. */
  public interface ProgressListener {
    /** Simulated time reached so far, and accesses run so far. */
    void progress(long simulatedNanos, long accesses);
  }

  public Simulation(Experiment experiment, PluginRegistry registry) {
    this.experiment = experiment;
    ConfigSettings mmuSettings = experiment.mmuSettings;
    MmuFactory mmuFactory = pick(registry.mmus(), experiment.mmuType, mmuSettings, "type", "mmu");
    costs = CostModel.from(experiment.costs, mmuFactory.costs());

    List<MetricScope> vmScopes = new ArrayList<>();
    List<Counter> zeroed = new ArrayList<>();
    for (int i = 0; i < experiment.vms.size(); i++) {
      MetricScope s = new MetricScope();
      for (String name : ORDER) {
        s.counter(name);
      }
      vmScopes.add(s);
      zeroed.add(s.counter(MetricNames.FRAMES_ZEROED));
    }
    host = new HostFrames(Pages.count(experiment.hostMemoryBytes), experiment.hostLargePagesBytes >> 21,
        experiment.thresholds, zeroed);
    hypervisor = new Hypervisor(host, clock);

    ConfigSettings root = new ConfigSettings(experiment.tree, "");
    List<ConfigSettings> vmSections = root.sectionList("vms");
    for (int v = 0; v < experiment.vms.size(); v++) {
      Experiment.VmSpec spec = experiment.vms.get(v);
      VirtualMachine vm = new VirtualMachine(v, spec, vmScopes.get(v), host, hypervisor);
      hypervisor.addVm(vm);
      vms.add(vm);
      Mmu mmu = mmuFactory.create(new VmMmuContext(vm, hypervisor, mmuSettings));
      vm.attach(mmu);
      ContentOracle oracle = experiment.verify ? new ContentOracle(spec.name()) : null;
      if (oracle != null) {
        oracles.add(oracle);
      }
      for (int c = 0; c < spec.vcpus(); c++) {
        MetricScope scope = new MetricScope();
        TlbHierarchy tlb = new TlbHierarchy(tlb(experiment.l1i), tlb(experiment.l1d), tlb(experiment.l2),
            experiment.tlbTagged, scope);
        Experiment.WalkCacheSpec wc = experiment.walkCaches;
        Vcpu vcpu = new Vcpu(vm, tlb, scope, host, clock, oracle);
        vcpu.attach(mmu.vcpu(new VcpuMmuContext(c, tlb, scope,
            new LruWalkCache(5, wc.entries(), scope.counter("pwc_hits")),
            new LruWalkCache(5, wc.nestedEntries(), scope.counter("nested_pwc_hits")),
            new LruWalkCache(0, wc.nestedTlb(), scope.counter("ntlb_hits")))));
        vm.addVcpu(vcpu);
        vcpus.add(vcpu);
      }
      List<ConfigSettings> processSections = vmSections.get(v).sectionList("processes");
      int processIndex = 0;
      for (int p = 0; p < spec.processes().size(); p++) {
        Experiment.ProcessSpec ps = spec.processes().get(p);
        ConfigSettings where = processSections.get(p).section("workload");
        WorkloadFactory wf = pick(registry.workloads(), ps.workloadType(), where, "type", "workload");
        for (int copy = 0; copy < ps.copies(); copy++, processIndex++) {
          int vmIndex = v;
          int index = processIndex;
          Task.Spawner spawner = generation -> {
            GuestProcess process = vm.kernel().createProcess(ps.largePages());
            long seed = Seeds.mix(experiment.seed, vmIndex, index, generation);
            Workload w = wf.create(new ProcessWorkloadContext(ps.workload(), seed, spec.name(), index,
                spec.memoryBytes()));
            return new Task.Incarnation(process, w);
          };
          vm.vcpus().get(processIndex % spec.vcpus()).add(new Task(spawner, ps.accessesPerSecond(),
              ps.switchesPerSecond(), ps.accessLimit(), ps.lifetime()));
        }
      }
    }

    List<VmMemory> vmViews = List.copyOf(vms);
    ConfigSettings reclaimSection = root.section("reclaim");
    for (Experiment.TechniqueSpec t : experiment.reclaimers) {
      ReclaimerFactory f = registry.reclaimers().get(t.name());
      if (f == null) {
        throw reclaimSection.invalid(t.name(), "a known reclamation technique ("
            + known(registry.reclaimers().keySet()) + ")");
      }
      int owner = hypervisor.nextOwnerId();
      Reclaimer r = f.create(new RunReclaimContext(t.settings(), hypervisor.pluginView(), vmViews, clock,
          Seeds.mix(experiment.seed, Seeds.of(t.name())), hostMetrics, owner));
      hypervisor.addReclaimer(t.name(), r);
      if (r.periodNanos() > 0) {
        daemons.add(new Daemon("reclaim:" + t.name(), r.periodNanos(), r::tick));
      }
    }
    if (!experiment.reclaimers.isEmpty()) {
      daemons.add(new Daemon("reclaim", experiment.reclaimPeriodNanos, now -> hypervisor.reclaimTick()));
    }
    if (experiment.policy != null) {
      AllocationPolicyFactory f =
          pick(registry.policies(), experiment.policy.name(), experiment.policy.settings(), "type", "policy");
      AllocationPolicy policy = f.create(new RunPolicyContext(experiment.policy.settings(), hypervisor.pluginView(), vmViews, clock,
          Seeds.mix(experiment.seed, Seeds.of("policy"))));
      if (policy.samplePeriodNanos() > 0) {
        daemons.add(new Daemon("policy-sample", policy.samplePeriodNanos(), policy::sample));
      }
      daemons.add(new Daemon("policy", policy.periodNanos(), policy::allocate));
    }
    daemons.add(new Daemon("metrics", experiment.metricsPeriodNanos, this::sample));
    experiment.checkNoUnknownKeys();
  }

  private static SetAssociativeTlb tlb(Experiment.TlbSpec spec) {
    return new SetAssociativeTlb(spec.entries(), spec.ways());
  }

  private static <T> T pick(Map<String, T> known, String name, ConfigSettings where, String key, String kind) {
    T f = known.get(name);
    if (f == null) {
      throw where.invalid(key, "a known " + kind + " (" + known(known.keySet()) + ")");
    }
    return f;
  }

  private static String known(Collection<String> names) {
    return names.isEmpty() ? "none installed" : String.join(", ", new java.util.TreeSet<>(names));
  }

  /** Runs to the experiment's duration, or until every workload has finished, and reports. */
  public RunResult run() {
    try {
      advanceTo(experiment.durationNanos);
      return result();
    } finally {
      vcpus.forEach(Vcpu::close);
    }
  }

  /**
   * Advances simulated time to {@code nanos} (capped at the experiment's duration), or until
   * every workload has finished. Returns the time reached. Lets library users and
   * benchmarks step a run; {@link #result()} reports at any point.
   */
  public long advanceTo(long nanos) {
    if (!started) {
      started = true;
      sample(0);
      vcpus.forEach(Vcpu::start);
    }
    long limit = Math.min(nanos, experiment.durationNanos);
    for (long step = 0; ; step++) {
      Vcpu v = earliest();
      if (v == null || v.time() >= limit) {
        break;
      }
      if (stopRequested) {
        stopped = true;
        break;
      }
      if (progress != null && (step & PROGRESS_STEPS) == 0) {
        progress.progress((long) v.time(), accesses());
      }
      Daemon d = nextDaemon();
      while (d != null && d.next <= v.time()) {
        clock.set(d.next);
        d.run();
        d = nextDaemon();
      }
      double until = Math.min(v.time() + QUANTUM_NANOS, limit);
      if (d != null) {
        until = Math.min(until, d.next);
      }
      v.runUntil(Math.max(until, Math.nextUp(v.time())));
    }
    double end = 0;
    for (Vcpu v : vcpus) {
      end = Math.max(end, Math.min(v.time(), limit));
    }
    endNanos = Math.max(endNanos, (long) Math.ceil(end));
    clock.set(endNanos);
    return endNanos;
  }

  /**
   * Asks the run to stop at its next step (safe from any thread, a signal handler's
   * included). The run then reports what it measured so far, marked partial.
   */
  public void requestStop() {
    stopRequested = true;
  }

  /** Listens to the run's progress (every few thousand steps; the schedule is unchanged). */
  public void onProgress(ProgressListener listener) {
    this.progress = listener;
  }

  /** Accesses run so far, all vCPUs together. */
  public long accesses() {
    long n = 0;
    for (Vcpu v : vcpus) {
      n += v.accesses();
    }
    return n;
  }

  /** The experiment, with every default its readers used filled in. */
  public Experiment experiment() {
    return experiment;
  }

  /** Simulated time reached so far. */
  public long nowNanos() {
    return endNanos;
  }

  /** The metrics so far (the totals, and the time series with a last sample at the time reached). */
  public RunResult result() {
    if (samples.isEmpty() || samples.get(samples.size() - 1).timeNanos() != endNanos) {
      sample(endNanos);
    }
    return report();
  }

  /** How far a VM's clock got: its furthest vCPU, at most the time reached. */
  private long simulatedNanos(VirtualMachine vm) {
    double t = 0;
    for (Vcpu v : vm.vcpus()) {
      t = Math.max(t, v.time());
    }
    return Math.min(endNanos, (long) Math.ceil(t));
  }

  private Vcpu earliest() {
    Vcpu best = null;
    for (Vcpu v : vcpus) {
      if (!v.finished() && (best == null || v.time() < best.time())) {
        best = v;
      }
    }
    return best;
  }

  private Daemon nextDaemon() {
    Daemon best = null;
    for (Daemon d : daemons) {
      if (best == null || d.next < best.next) {
        best = d;
      }
    }
    return best;
  }

  private void sample(long now) {
    for (VirtualMachine vm : vms) {
      Map<String, Long> values = new LinkedHashMap<>();
      counters(vm).forEach(values::put);
      values.put(MetricNames.CONSUMED, vm.consumedPages());
      values.put(MetricNames.GUEST_USED, vm.kernel().usedPages());
      values.put(MetricNames.GUEST_SWAPPED, vm.kernel().swappedPages());
      values.put(MetricNames.TARGET, vm.targetPages());
      samples.add(new RunResult.Sample(now, vm.name(), values));
    }
  }

  /** A VM's counters: its own plus its vCPUs', in report order. */
  private static Map<String, Long> counters(VirtualMachine vm) {
    Map<String, Long> sums = new TreeMap<>();
    add(sums, vm.scope());
    for (Vcpu v : vm.vcpus()) {
      add(sums, v.scope());
    }
    Map<String, Long> ordered = new LinkedHashMap<>();
    for (String name : ORDER) {
      ordered.put(name, sums.getOrDefault(name, 0L));
    }
    sums.forEach(ordered::putIfAbsent);
    return ordered;
  }

  private static void add(Map<String, Long> sums, MetricScope scope) {
    for (Counter c : scope.all()) {
      sums.merge(c.name(), c.get(), Long::sum);
    }
  }

  private Map<String, Number> derive(Map<String, Long> counters) {
    Map<String, Number> m = new LinkedHashMap<>(counters);
    long cycles = costs.cycles(name -> counters.getOrDefault(name, 0L));
    long nativeCycles = costs.nativeCycles(name -> counters.getOrDefault(name, 0L));
    m.put(MetricNames.CYCLES, cycles);
    m.put(MetricNames.NATIVE_CYCLES, nativeCycles);
    m.put(MetricNames.SLOWDOWN, nativeCycles == 0 ? 1.0 : (double) cycles / nativeCycles);
    return m;
  }

  /**
   * With {@code verify}: the frame table agrees with every P2M. Each privately mapped guest
   * page's frame is owned by that page, each VM's consumed count is its entries with a
   * frame, and, while nothing is shared, the frames in use are exactly the VMs' consumed ones.
   */
  private void checkFrameTable() {
    long inUse = host.totalFrames() - host.freeFrames();
    long consumed = 0;
    boolean anyShared = false;
    for (VirtualMachine vm : vms) {
      long mapped = 0;
      for (long gppn = 0; gppn < vm.pages(); gppn++) {
        long e = vm.get(gppn);
        anyShared |= P2mEntry.state(e) == P2mEntry.SHARED;
        if (P2mEntry.readable(e)) {
          mapped++;
        }
        if (P2mEntry.state(e) == P2mEntry.MAPPED) {
          if (!host.ownedBy(P2mEntry.value(e), vm.index(), gppn)) {
            throw new IllegalStateException("frame table: vm " + vm.name() + " guest page " + gppn
                + " maps host frame " + P2mEntry.value(e) + ", which another page owns");
          }
        }
      }
      if (mapped != vm.consumedPages()) {
        throw new IllegalStateException("frame table: vm " + vm.name() + " maps " + mapped
            + " frames but counts " + vm.consumedPages() + " consumed");
      }
      consumed += mapped;
    }
    if (!anyShared && consumed != inUse) {
      throw new IllegalStateException("frame table: " + inUse + " host frames in use, " + consumed
          + " mapped by VMs");
    }
  }

  private RunResult report() {
    if (experiment.verify) {
      checkFrameTable();
    }
    List<RunResult.VmResult> vmResults = new ArrayList<>();
    Map<String, Long> hostSums = new LinkedHashMap<>();
    for (VirtualMachine vm : vms) {
      Map<String, Long> c = counters(vm);
      c.forEach((k, val) -> hostSums.merge(k, val, Long::sum));
      c.put(MetricNames.CONSUMED, vm.consumedPages());
      c.put(MetricNames.GUEST_USED, vm.kernel().usedPages());
      c.put(MetricNames.GUEST_SWAPPED, vm.kernel().swappedPages());
      c.put(MetricNames.TARGET, vm.targetPages());
      Map<String, Number> metrics = derive(c);
      metrics.put(MetricNames.SIMULATED_NS, simulatedNanos(vm));
      List<Map<String, Long>> perVcpu = new ArrayList<>();
      for (Vcpu v : vm.vcpus()) {
        Map<String, Long> m = new LinkedHashMap<>();
        add(m, v.scope());
        perVcpu.add(m);
      }
      vmResults.add(new RunResult.VmResult(vm.name(), metrics, List.copyOf(perVcpu)));
    }
    add(hostSums, hostMetrics);
    hostSums.put("host_frames", host.totalFrames());
    hostSums.put("host_free_frames", host.freeFrames());
    Map<String, Number> hostResult = derive(hostSums);
    hostResult.put(MetricNames.SIMULATED_NS, endNanos);
    long checks = oracles.stream().mapToLong(ContentOracle::checks).sum();
    if (experiment.verify) {
      hostResult.put("oracle_checks", checks);
    }
    return new RunResult(experiment.name, experiment.seed, experiment.mmuType, endNanos, experiment.durationNanos,
        stopped, hostResult, vmResults, List.copyOf(samples));
  }

  /** The VMs, for tests that drive the machine directly. */
  List<VirtualMachine> vms() {
    return vms;
  }

  HostFrames host() {
    return host;
  }
}
