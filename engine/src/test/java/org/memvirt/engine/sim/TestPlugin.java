package org.memvirt.engine.sim;

import com.google.inject.AbstractModule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.memvirt.api.AccessKind;
import org.memvirt.api.ApiVersion;
import org.memvirt.api.MemvirtPlugin;
import org.memvirt.api.PluginDescriptor;
import org.memvirt.api.Techniques;
import org.memvirt.api.memory.HostMemory;
import org.memvirt.api.memory.HostMemoryState;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.policy.AllocationPolicy;
import org.memvirt.api.policy.AllocationPolicyFactory;
import org.memvirt.api.policy.PolicyContext;
import org.memvirt.api.reclaim.ReclaimContext;
import org.memvirt.api.reclaim.Reclaimer;
import org.memvirt.api.reclaim.ReclaimerFactory;
import org.memvirt.api.reclaim.VmMemory;
import org.memvirt.api.workload.AccessBatch;
import org.memvirt.api.workload.Workload;
import org.memvirt.api.workload.WorkloadContext;
import org.memvirt.api.workload.WorkloadFactory;

/**
 * Small implementations of every SPI family, written against the api alone as a third
 * party would: a scripted workload, a hypervisor swapper, a balloon and an equal-split policy.
 */
public final class TestPlugin extends AbstractModule implements MemvirtPlugin {
  @Override
  protected void configure() {
    Techniques.workloads(binder()).addBinding("script").toInstance(new ScriptFactory());
    Techniques.reclaimers(binder()).addBinding("toy-swap").toInstance(new ToySwapFactory());
    Techniques.reclaimers(binder()).addBinding("toy-balloon").toInstance(new ToyBalloonFactory());
    Techniques.policies(binder()).addBinding("equal").toInstance(new EqualSplitFactory());
  }

  @Override
  public PluginDescriptor descriptor() {
    return new PluginDescriptor("test-plugin", "1.0.0", ApiVersion.COMPILED,
        List.of("workload:script", "reclaim:toy-swap", "reclaim:toy-balloon", "policy:equal"));
  }

  /**
   * {@code {type: script, pages: "1,2,3", write: false}}: one access per listed page (page
   * numbers from 0x10000000), then finishes. With {@code write: true} each access writes a
   * value unique to its position.
   */
  static final class ScriptFactory implements WorkloadFactory {
    @Override
    public String name() {
      return "script";
    }

    @Override
    public Workload create(WorkloadContext context) {
      long[] pages = Arrays.stream(context.settings().string("pages", "").split(","))
          .map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
      boolean write = context.settings().flag("write", false);
      return new Workload() {
        int at;

        @Override
        public int next(AccessBatch batch) {
          int n = 0;
          while (n < batch.capacity() && at < pages.length) {
            batch.addresses[n] = 0x1000_0000L + pages[at] * 4096;
            batch.kinds[n] = (byte) (write ? AccessKind.WRITE : AccessKind.READ);
            batch.values[n] = 1000 + at;
            n++;
            at++;
          }
          return n;
        }
      };
    }
  }

  /**
   * A hypervisor swapper: random victims, content kept in a map, restored on fault. With
   * {@code lossy: true} it restores zeros instead: a bug the content oracle must catch; with
   * {@code leaky: true} it never frees the frames it swaps out: a bug the frame-table check
   * must catch.
   */
  static final class ToySwapFactory implements ReclaimerFactory {
    @Override
    public String name() {
      return "toy-swap";
    }

    @Override
    public Reclaimer create(ReclaimContext ctx) {
      boolean lossy = ctx.settings().flag("lossy", false);
      boolean leaky = ctx.settings().flag("leaky", false);
      return new Reclaimer() {
        final SplittableRandom random = new SplittableRandom(ctx.seed());
        final Map<Long, Long> slots = new HashMap<>();
        long nextSlot;

        @Override
        public HostMemoryState actsFrom() {
          return HostMemoryState.HARD;
        }

        @Override
        public long reclaim(VmMemory vm, long pages) {
          long freed = 0;
          for (int tries = 0; freed < pages && tries < pages * 8 && vm.consumedPages() > vm.minPages(); tries++) {
            long gppn = random.nextLong(vm.pages());
            long e = vm.p2m().get(gppn);
            if (P2mEntry.state(e) != P2mEntry.MAPPED) {
              continue;
            }
            long hppn = P2mEntry.value(e);
            long slot = nextSlot++;
            slots.put(slot, ctx.host().content(hppn));
            vm.p2m().set(gppn, P2mEntry.of(P2mEntry.SWAPPED, slot, ctx.ownerId()));
            if (!leaky) {
              ctx.host().free(hppn);
            }
            vm.metrics().counter("toy_swapped").increment();
            freed++;
          }
          return freed;
        }

        @Override
        public void fault(VmMemory vm, long gppn, long entry, boolean write) {
          long content = slots.remove(P2mEntry.value(entry));
          long hppn = ctx.host().allocate(vm.index(), gppn);
          if (hppn == HostMemory.NO_FRAME) {
            throw new IllegalStateException("toy-swap: no frame to swap into");
          }
          ctx.host().setContent(hppn, lossy ? 0 : content);
          vm.p2m().set(gppn, P2mEntry.mapped(hppn));
          vm.metrics().counter("toy_swapped_in").increment();
        }
      };
    }
  }

  /** A balloon: pins guest pages through the guest OS and frees their frames. */
  static final class ToyBalloonFactory implements ReclaimerFactory {
    @Override
    public String name() {
      return "toy-balloon";
    }

    @Override
    public Reclaimer create(ReclaimContext ctx) {
      return new Reclaimer() {
        final List<List<Long>> balloons = new ArrayList<>();

        @Override
        public HostMemoryState actsFrom() {
          return HostMemoryState.SOFT;
        }

        @Override
        public long reclaim(VmMemory vm, long pages) {
          while (balloons.size() <= vm.index()) {
            balloons.add(new ArrayList<>());
          }
          long freed = 0;
          long cap = vm.pages() * 65 / 100; // ESX's Mem.CtlMaxPercent
          while (freed < pages && vm.guest().pinnedPages() < cap) {
            long gppn = vm.guest().pinPage();
            if (gppn < 0) {
              break;
            }
            balloons.get(vm.index()).add(gppn);
            long e = vm.p2m().get(gppn);
            if (P2mEntry.readable(e)) {
              ctx.host().free(P2mEntry.value(e));
              freed++;
            }
            vm.p2m().set(gppn, P2mEntry.of(P2mEntry.BALLOONED, 0, ctx.ownerId()));
            vm.metrics().counter("toy_ballooned").increment();
          }
          return freed;
        }

        @Override
        public void fault(VmMemory vm, long gppn, long entry, boolean write) {
          throw new IllegalStateException("the guest touched ballooned page " + gppn);
        }
      };
    }
  }

  /** Divides host memory equally, within each VM's min and max. */
  static final class EqualSplitFactory implements AllocationPolicyFactory {
    @Override
    public String name() {
      return "equal";
    }

    @Override
    public AllocationPolicy create(PolicyContext ctx) {
      double fraction = ctx.settings().fraction("fraction", 0.9);
      return new AllocationPolicy() {
        @Override
        public long periodNanos() {
          return 500_000_000L;
        }

        @Override
        public void allocate(long nowNanos) {
          long each = (long) (ctx.host().totalFrames() * fraction) / ctx.vms().size();
          for (VmMemory vm : ctx.vms()) {
            vm.setTargetPages(each);
          }
        }
      };
    }
  }
}
