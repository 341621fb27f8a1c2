package org.memvirt.reclaim.swap;

import java.util.SplittableRandom;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.VmMemory;

/**
 * How the swapper picks the page to take next from a VM. Pages the engine holds privately
 * (MAPPED, owner 0) are eligible; with {@code shared}, so are pages another technique shares
 * (their frame goes whole, every page mapping it with it). A page another technique holds
 * otherwise is that technique's.
 */
interface VictimPolicy {
  /** An eligible guest page of {@code vm} ({@code shared}: shared pages of technique {@code owner}'s peers too), or -1. */
  long pick(VmMemory vm, boolean shared, int owner);

  static boolean eligible(long entry, boolean shared, int owner) {
    int holder = P2mEntry.owner(entry);
    return (P2mEntry.state(entry) == P2mEntry.MAPPED && holder == 0)
        || (shared && P2mEntry.state(entry) == P2mEntry.SHARED && holder != 0 && holder != owner);
  }

  /**
   * ESX's default: uniform over the eligible pages (rejection sampling over the guest's
   * pages, seeded), so that the hypervisor does not fight the guest's own replacement.
   */
  final class Random implements VictimPolicy {
    /** Draws before giving up: the chance of missing a VM with 1% eligible pages is 0.99^4096. */
    private static final int DRAWS = 4096;
    private final SplittableRandom random;

    Random(long seed) {
      this.random = new SplittableRandom(seed);
    }

    @Override
    public long pick(VmMemory vm, boolean shared, int owner) {
      for (int i = 0; i < DRAWS; i++) {
        long g = random.nextLong(vm.pages());
        if (VictimPolicy.eligible(vm.p2m().get(g), shared, owner)) {
          return g;
        }
      }
      return -1;
    }
  }

  /**
   * An approximate LRU from the nested accessed bits (CLOCK, second chance): a hand per VM
   * sweeps the guest's pages; a page whose bit is set loses it and is passed over, one
   * without it is taken. Clearing the bit invalidates the page's cached translations (under
   * EPT an INVEPT), which is what sampling the bit costs on real hardware.
   */
  final class Clock implements VictimPolicy {
    private long[] hands = new long[4];

    @Override
    public long pick(VmMemory vm, boolean shared, int owner) {
      if (vm.index() >= hands.length) {
        hands = java.util.Arrays.copyOf(hands, Math.max(vm.index() + 1, hands.length * 2));
      }
      long pages = vm.pages();
      for (long step = 0; step < 2 * pages; step++) {
        long g = hands[vm.index()];
        hands[vm.index()] = (g + 1) % pages;
        long e = vm.p2m().get(g);
        if (!VictimPolicy.eligible(e, shared, owner)) {
          continue;
        }
        if (P2mEntry.accessed(e)) {
          vm.p2m().clearAccessed(g);
          continue;
        }
        return g;
      }
      return -1;
    }
  }
}
