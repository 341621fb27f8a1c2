package com.example.memvirt;

import org.memvirt.api.memory.HostMemoryState;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.ReclaimContext;
import org.memvirt.api.reclaim.Reclaimer;
import org.memvirt.api.reclaim.ReclaimerFactory;
import org.memvirt.api.reclaim.VmMemory;

/**
 * {@code reclaim: {discard-free: {}}}: from the soft state, frees the frames behind pages the
 * guest has on its free lists (their content no longer matters: the guest zero-fills a
 * page before it uses it again), as free page reporting does, without a driver.
 */
public final class DiscardFreeFactory implements ReclaimerFactory {
  static final String NAME = "discard-free";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "drops the frames of pages free in the guest";
  }

  @Override
  public Reclaimer create(ReclaimContext ctx) {
    return new Reclaimer() {
      @Override
      public HostMemoryState actsFrom() {
        return HostMemoryState.SOFT;
      }

      @Override
      public long reclaim(VmMemory vm, long pages) {
        long freed = 0;
        for (long g = 0; g < vm.pages() && freed < pages && vm.backedPages() > vm.minPages(); g++) {
          long e = vm.p2m().get(g);
          if (P2mEntry.state(e) == P2mEntry.MAPPED && P2mEntry.owner(e) == 0 && !P2mEntry.large(e)
              && vm.guest().isFree(g)) {
            vm.p2m().set(g, 0); // unbacked: the next touch gets a zeroed frame
            ctx.host().free(P2mEntry.value(e));
            freed++;
          }
        }
        return freed;
      }
    };
  }
}
