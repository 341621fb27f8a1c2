package org.memvirt.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.memvirt.api.policy.AllocationPolicy;
import org.memvirt.api.policy.AllocationPolicyFactory;

/**
 * The contract every allocation policy keeps, ours or a third party's, checked on fakes:
 * three VMs of 2048 pages (shares 1000, 2000, 1000; b reserves 256 pages, c is limited to
 * 1024) on a host of 4096 frames, run for 60 simulated seconds of samples and allocations.
 * Targets stay within each VM's min and max and together within host memory; the policy
 * never changes a P2M entry (it may sample them); the same seed gives the same targets.
 * A broken rule is an {@link AssertionError}.
 */
public final class PolicyContract {
  /** Each VM's target after every allocation, in order. */
  public record Report(List<long[]> targets) {}

  private static final long RUN_NANOS = 60_000_000_000L;

  private PolicyContract() {}

  /** Runs the contract on a policy made by {@code factory} with {@code settings}. */
  public static Report verify(AllocationPolicyFactory factory, Map<String, Object> settings) {
    Report first = run(factory, settings);
    Report again = run(factory, settings);
    for (int i = 0; i < first.targets().size(); i++) {
      if (!java.util.Arrays.equals(first.targets().get(i), again.targets().get(i))) {
        throw new AssertionError("allocation " + i + " differs between two runs with the same seed: "
            + java.util.Arrays.toString(first.targets().get(i)) + " and "
            + java.util.Arrays.toString(again.targets().get(i)));
      }
    }
    return first;
  }

  private static Report run(AllocationPolicyFactory factory, Map<String, Object> settings) {
    FakeHostMemory host = new FakeHostMemory(4096);
    List<FakeVm> vms = List.of(
        new FakeVm(0, "a", 2048, 0, 2048, 1000, -1, host),
        new FakeVm(1, "b", 2048, 256, 2048, 2000, -1, host),
        new FakeVm(2, "c", 2048, 0, 1024, 1000, -1, host));
    host.attach(vms);
    int[] backed = {1500, 1500, 800};
    for (FakeVm vm : vms) {
      for (long g = 0; g < backed[vm.index()]; g++) {
        vm.back(g, g + 1);
      }
    }
    FakeClock clock = new FakeClock();
    AllocationPolicy policy = factory.create(new FakePolicyContext(new MapSettings(settings), host,
        List.copyOf(vms), clock, 42));
    long period = policy.periodNanos();
    if (period <= 0) {
      throw new AssertionError("periodNanos() must be positive, was " + period);
    }
    long sample = policy.samplePeriodNanos();
    long nextAllocate = period;
    long nextSample = sample > 0 ? sample : Long.MAX_VALUE;
    List<long[]> targets = new ArrayList<>();
    while (Math.min(nextAllocate, nextSample) <= RUN_NANOS) {
      if (nextSample <= nextAllocate) {
        clock.set(nextSample);
        policy.sample(nextSample);
        nextSample += sample;
        continue;
      }
      clock.set(nextAllocate);
      policy.allocate(nextAllocate);
      nextAllocate += period;
      long[] t = new long[vms.size()];
      long sum = 0;
      for (FakeVm vm : vms) {
        t[vm.index()] = vm.targetPages();
        sum += t[vm.index()];
        if (t[vm.index()] < vm.minPages() || t[vm.index()] > vm.maxPages()) {
          throw new AssertionError("vm " + vm.name() + " target " + t[vm.index()] + " outside its min and max");
        }
      }
      if (sum > host.totalFrames()) {
        throw new AssertionError("targets add up to " + sum + " pages, more than the host's " + host.totalFrames());
      }
      targets.add(t);
    }
    if (targets.isEmpty()) {
      throw new AssertionError("the policy never allocated in " + RUN_NANOS / 1_000_000_000L + " s");
    }
    return new Report(targets);
  }
}
