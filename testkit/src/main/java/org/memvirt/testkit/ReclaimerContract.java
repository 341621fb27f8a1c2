package org.memvirt.testkit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.memvirt.api.Counter;
import org.memvirt.api.memory.HostMemoryState;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.FaultCause;
import org.memvirt.api.reclaim.ReclaimContext;
import org.memvirt.api.reclaim.Reclaimer;
import org.memvirt.api.reclaim.ReclaimerFactory;
import org.memvirt.api.reclaim.VmMemory;

/**
 * The contract every reclamation technique keeps, ours or a third party's, checked on a
 * machine of fakes: two VMs of 1024 pages, 700 of each backed with content of their own
 * (the guest has freed 50 of those), on a host of 2048 frames; VM a has a limit of 900 pages and 10 pages held by another
 * technique (owner id 2, which gives them back when asked), VM b a reservation of 600.
 * The technique (owner id 1) is asked to reclaim, ticks, takes faults of every cause,
 * and is asked to release what it holds. Throughout:
 *
 * <ul>
 *   <li>every entry it changes is one it holds or an owner-0 one, mapping only frames the
 *       page is entitled to; never below a reservation, never above a limit;
 *   <li>what {@link Reclaimer#reclaim} says it freed, host memory has gained;
 *   <li>no write is lost or leaked: every page reads back what was last written to it
 *       (pages the guest pinned for a balloon excepted, their content no longer matters);
 *   <li>a release request is answered: given back with its content, or refused;
 *   <li>at the end every frame is accounted once and every held entry is known to its holder.
 * </ul>
 *
 * A broken rule is an {@link AssertionError} saying which. Call {@link #verify} from any
 * test framework.
 */
public final class ReclaimerContract {
  /** What the run of the contract saw, for a test to look at further. */
  public record Report(long freed, long limitRefusals, long released, long releaseRefused, long pagesChecked) {}

  private static final int OWNER = 1;
  private static final int OTHER = 2;
  private static final int PAGES = 1024;
  private static final int BACKED = 700;

  private final FakeHostMemory host = new FakeHostMemory(2048);
  private final FakeClock clock = new FakeClock();
  private final FakeVm a;
  private final FakeVm b;
  private final Map<String, Long> expected = new HashMap<>();
  private final Reclaimer reclaimer;
  private long freed;
  private long limitRefusals;

  private ReclaimerContract(ReclaimerFactory factory, Map<String, Object> settings) {
    a = new FakeVm(0, "a", PAGES, 0, 900, 1000, OWNER, host);
    b = new FakeVm(1, "b", PAGES, 600, PAGES, 1000, OWNER, host);
    host.attach(List.of(a, b));
    for (FakeVm vm : List.of(a, b)) {
      for (long g = 0; g < BACKED; g++) {
        long token = token(vm, g, 0);
        vm.back(g, token);
        expected.put(key(vm, g), token);
      }
    }
    // The guests free 50 of their backed pages: backed still, their content no longer matters.
    for (FakeVm vm : List.of(a, b)) {
      for (long g = BACKED - 50; g < BACKED; g++) {
        vm.fakeGuest().freePage(g);
        expected.remove(key(vm, g));
      }
    }
    HandSwapper other = new HandSwapper(host, OTHER);
    FakeVm aAsOther = a.as(OTHER);
    for (long g = 0; g < 10; g++) {
      other.swapOut(aAsOther, g);
    }
    Map<String, Counter> hostCounters = new HashMap<>();
    ReclaimContext ctx = new FakeReclaimContext(new MapSettings(settings), host, List.of(a, b), clock, 42,
        n -> hostCounters.computeIfAbsent(n, Counter::new), OWNER);
    reclaimer = factory.create(ctx);
    for (FakeVm vm : List.of(a, b)) {
      vm.holder(OWNER, reclaimer, vm);
      vm.holder(OTHER, other, vm.as(OTHER));
    }
    host.onLimit(vm -> reclaimer.reclaim(vm, 64));
  }

  /** Runs the contract on a technique made by {@code factory} with {@code settings}. */
  public static Report verify(ReclaimerFactory factory, Map<String, Object> settings) {
    return new ReclaimerContract(factory, settings).run();
  }

  private Report run() {
    HostMemoryState acts = reclaimer.actsFrom();
    if (acts == null) {
      throw new AssertionError("actsFrom() returned null");
    }
    reclaimRound();
    tick(5);
    // b sits at its reservation's edge: asked for everything, it must keep 600 pages backed.
    reclaimer.reclaim(b, 10_000);
    check(b.backedPages() >= b.minPages(), "vm b went below its reservation");
    // The guests write: every page read back, a third of them written anew.
    long checked = readBack();
    writeSome(1);
    // VM a touches the rest of its pages: it meets its limit, and the technique must make room.
    for (long g = BACKED; g < PAGES; g++) {
      if (a.fakeGuest().pinned().contains(g)) {
        continue;
      }
      a.fakeGuest().use(g);
      if (a.backedPages() >= a.maxPages()) {
        reclaimer.reclaim(a, 64);
        if (a.backedPages() >= a.maxPages()) {
          limitRefusals++;
          continue;
        }
      }
      long f = a.access(g, FaultCause.VCPU_WRITE);
      long token = token(a, g, 2);
      host.setContent(f, token);
      expected.put(key(a, g), token);
    }
    check(a.backedPages() <= a.maxPages(), "vm a went above its limit");
    reclaimRound();
    tick(5);
    checked += readBack();
    long[] release = releaseAll();
    checked += readBack();
    host.checkFrames();
    for (FakeVm vm : List.of(a, b)) {
      for (long g = 0; g < PAGES; g++) {
        long e = vm.get(g);
        if (P2mEntry.owner(e) == OWNER) {
          check(reclaimer.holds(vm, g, e), "vm " + vm.name() + " page " + g + " is held by the technique but it "
              + "does not know of it");
        }
      }
    }
    return new Report(freed, limitRefusals, release[0], release[1], checked);
  }

  private void reclaimRound() {
    for (FakeVm vm : List.of(a, b)) {
      long before = host.freeFrames();
      long n = reclaimer.reclaim(vm, 100);
      check(n >= 0, "reclaim returned " + n);
      check(host.freeFrames() - before == n, "reclaim said it freed " + n + " frames of vm " + vm.name()
          + " but host memory gained " + (host.freeFrames() - before));
      freed += n;
    }
  }

  private void tick(int times) {
    long period = reclaimer.periodNanos();
    if (period <= 0) {
      return;
    }
    for (int i = 0; i < times; i++) {
      clock.set(clock.nanos() + period);
      reclaimer.tick(clock.nanos());
    }
  }

  /** Reads every page with content back, through faults of every read cause; returns how many. */
  private long readBack() {
    long n = 0;
    FaultCause[] causes = {FaultCause.VCPU_READ, FaultCause.GUEST_IO, FaultCause.HYPERVISOR};
    for (FakeVm vm : List.of(a, b)) {
      for (long g = 0; g < PAGES; g++) {
        Long want = expected.get(key(vm, g));
        if (want == null || vm.fakeGuest().pinned().contains(g)) {
          continue;
        }
        long f = vm.access(g, causes[(int) (g % causes.length)]);
        check(host.content(f) == want, "vm " + vm.name() + " page " + g + " reads " + Long.toHexString(
            host.content(f)) + " but last written " + Long.toHexString(want) + " (a lost write)");
        n++;
      }
    }
    return n;
  }

  /** Writes every third page anew: a whole-page overwrite or an ordinary store. */
  private void writeSome(int generation) {
    for (FakeVm vm : List.of(a, b)) {
      for (long g = 0; g < PAGES; g += 3) {
        if (!expected.containsKey(key(vm, g)) || vm.fakeGuest().pinned().contains(g)) {
          continue;
        }
        long f = vm.access(g, g % 2 == 0 ? FaultCause.GUEST_OVERWRITE : FaultCause.VCPU_WRITE);
        long token = token(vm, g, generation);
        host.setContent(f, token);
        expected.put(key(vm, g), token);
      }
    }
  }

  /** Asks for every page the technique holds back, as another technique would. */
  private long[] releaseAll() {
    long released = 0;
    long refused = 0;
    for (FakeVm vm : List.of(a, b)) {
      FakeVm asOther = vm.as(OTHER);
      for (long g = 0; g < PAGES; g++) {
        if (P2mEntry.owner(vm.get(g)) != OWNER) {
          continue;
        }
        if (asOther.requestRelease(g, true)) {
          released++;
        } else {
          refused++;
          check(P2mEntry.owner(vm.get(g)) == OWNER, "vm " + vm.name() + " page " + g
              + ": a refused release changed the entry");
        }
      }
    }
    return new long[] {released, refused};
  }

  private static long token(FakeVm vm, long gppn, int generation) {
    return 0x5eed_0000_0000_0000L | ((long) vm.index() << 40) | ((long) generation << 32) | gppn;
  }

  private static String key(FakeVm vm, long gppn) {
    return vm.index() + ":" + gppn;
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError(what);
    }
  }
}
