package org.memvirt.reclaim.sharing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.memvirt.api.Counter;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.FaultCause;
import org.memvirt.api.reclaim.VmMemory;
import org.memvirt.testkit.FakeClock;
import org.memvirt.testkit.FakeHostMemory;
import org.memvirt.testkit.FakeReclaimContext;
import org.memvirt.testkit.FakeVm;
import org.memvirt.testkit.MapSettings;

/** A host of fakes for sharing's tests: {@code count} VMs of {@code pages} unbacked pages, room for all. */
final class Rig {
  static final int OWNER = 1;

  final FakeHostMemory host;
  final List<FakeVm> vms = new ArrayList<>();
  final FakeClock clock = new FakeClock();
  final Map<String, Counter> hostCounters = new HashMap<>();
  final PageSharing sharing;

  Rig(int count, int pages, Map<String, Object> settings) {
    this(count, pages, settings, List.of());
  }

  /** {@code vmSettings.get(i)}, when there, is VM i's section. */
  Rig(int count, int pages, Map<String, Object> settings, List<Map<String, Object>> vmSettings) {
    this(count, pages, 0, settings, vmSettings);
  }

  /** VMs with a reservation of {@code min} pages. */
  Rig(int count, int pages, long min, Map<String, Object> settings, List<Map<String, Object>> vmSettings) {
    host = new FakeHostMemory(count * pages + 16);
    for (int i = 0; i < count; i++) {
      FakeVm vm = new FakeVm(i, "vm" + i, pages, min, pages, 1000, OWNER, host);
      if (i < vmSettings.size()) {
        vm.withSettings(vmSettings.get(i));
      }
      vms.add(vm);
    }
    host.attach(vms);
    sharing = (PageSharing) new SharingReclaimerFactory().create(new FakeReclaimContext(new MapSettings(settings),
        host, new ArrayList<VmMemory>(vms), clock, 11, n -> hostCounters.computeIfAbsent(n, Counter::new), OWNER));
    for (FakeVm vm : vms) {
      vm.holder(OWNER, sharing, vm);
    }
  }

  FakeVm vm(int i) {
    return vms.get(i);
  }

  /** Advances one period and runs the scanner. */
  void tick() {
    clock.set(clock.nanos() + sharing.periodNanos());
    sharing.tick(clock.nanos());
  }

  /** A vCPU write of {@code token} to page {@code g} of VM {@code vm}, faulting as the engine would. */
  void write(int vm, long g, long token) {
    long frame = vm(vm).access(g, FaultCause.VCPU_WRITE);
    host.setContent(frame, token);
  }

  long host(String counter) {
    Counter c = hostCounters.get(counter);
    return c == null ? 0 : c.get();
  }

  int state(int vm, long g) {
    return P2mEntry.state(vm(vm).get(g));
  }

  long frame(int vm, long g) {
    return P2mEntry.value(vm(vm).get(g));
  }
}
