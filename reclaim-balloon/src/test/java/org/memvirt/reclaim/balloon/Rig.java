package org.memvirt.reclaim.balloon;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.memvirt.api.Counter;
import org.memvirt.api.reclaim.VmMemory;
import org.memvirt.testkit.FakeClock;
import org.memvirt.testkit.FakeHostMemory;
import org.memvirt.testkit.FakeReclaimContext;
import org.memvirt.testkit.FakeVm;
import org.memvirt.testkit.MapSettings;

/**
 * A host of fakes for the balloon's tests: VM {@code vm} of the given size, its guest's
 * pages all free and unbacked, beside a filler VM that takes all but {@code freeFrames} of
 * the host's frames (so the host is short and keeps the balloon's targets), and the
 * technique made with the given settings.
 */
final class Rig {
  static final int OWNER = 1;

  final FakeHostMemory host;
  final FakeVm vm;
  final FakeVm filler;
  final FakeClock clock = new FakeClock();
  final Ballooning balloon;

  Rig(int pages, int freeFrames, Map<String, Object> settings) {
    this(pages, freeFrames, settings, Map.of(), 0, 0);
  }

  /**
   * VM {@code vm} has a reservation of {@code min} pages and its pages 0..{@code backed}-1
   * backed (the guest using them); the host has {@code freeFrames} free beside them.
   */
  Rig(int pages, int freeFrames, Map<String, Object> settings, Map<String, Object> vmSettings, int min, int backed) {
    int fill = 10_000;
    host = new FakeHostMemory(pages + fill + freeFrames + backed);
    vm = new FakeVm(0, "vm", pages, min, pages, 1000, OWNER, host).withSettings(vmSettings);
    filler = new FakeVm(1, "filler", pages + fill, 0, pages + fill, 1000, OWNER, host)
        .withSettings(Map.of("balloon", "false"));
    host.attach(List.of(vm, filler));
    for (long g = 0; g < backed; g++) {
      vm.back(g, 0x5000 + g);
    }
    for (long g = 0; g < pages + fill; g++) {
      filler.back(g, 0x1234);
    }
    Map<String, Counter> hostCounters = new HashMap<>();
    balloon = (Ballooning) new BalloonReclaimerFactory().create(new FakeReclaimContext(new MapSettings(settings),
        host, new ArrayList<VmMemory>(List.of(vm, filler)), clock, 7,
        n -> hostCounters.computeIfAbsent(n, Counter::new), OWNER));
    vm.holder(OWNER, balloon, vm);
  }

  /** Gives {@code frames} of the filler's frames back to the host. */
  void freeHost(int frames) {
    int done = 0;
    for (long g = filler.pages() - 1; g >= 0 && done < frames; g--) {
      long e = filler.get(g);
      if (org.memvirt.api.memory.P2mEntry.readable(e)) {
        filler.set(g, 0);
        host.free(org.memvirt.api.memory.P2mEntry.value(e));
        done++;
      }
    }
  }

  /** Advances to the next tick and runs it. */
  void tick() {
    clock.set(clock.nanos() + balloon.periodNanos());
    balloon.tick(clock.nanos());
  }

  long size() {
    return vm.count(BalloonMetrics.ACTUAL.name());
  }
}
