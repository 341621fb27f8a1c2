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
import org.memvirt.api.mmu.CostEntry;
import org.memvirt.api.reclaim.FaultCause;
import org.memvirt.api.reclaim.ReclaimContext;
import org.memvirt.api.reclaim.Reclaimer;
import org.memvirt.api.reclaim.ReclaimerFactory;
import org.memvirt.api.reclaim.VmMemory;
import org.memvirt.api.workload.AccessBatch;
import org.memvirt.api.workload.Workload;
import org.memvirt.api.workload.WorkloadContext;
import org.memvirt.api.workload.WorkloadFactory;
import org.memvirt.testkit.HandSwapper;

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
    Techniques.reclaimers(binder()).addBinding("toy-hand").toInstance(new HandFactory());
    Techniques.reclaimers(binder()).addBinding("toy-broken").toInstance(new BrokenFactory());
    Techniques.policies(binder()).addBinding("equal").toInstance(new EqualSplitFactory());
  }

  @Override
  public PluginDescriptor descriptor() {
    return new PluginDescriptor("test-plugin", "1.0.0", ApiVersion.COMPILED,
        List.of("workload:script", "reclaim:toy-swap", "reclaim:toy-balloon", "reclaim:toy-hand",
            "reclaim:toy-broken", "policy:equal"));
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

    /** A stall per access, 0 unless an experiment sets {@code costs.script_stall}: for tests of time. */
    @Override
    public List<CostEntry> costs() {
      return List.of(CostEntry.nanos("script_stall", "accesses", 0, false, "test: a stall on every access"));
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
   * A hypervisor swapper: random victims, content kept in a map, restored on fault; a whole-page
   * overwrite needs no read back (counted {@code toy_reads_avoided}); the guest reading a
   * swapped page for its own swap device is double paging ({@code toy_double_paging}). A
   * shared page it wants as a victim it asks its holder for. With {@code lossy: true} it
   * restores zeros instead: a bug the content oracle must catch; with {@code leaky: true} it
   * never frees the frames it swaps out: a bug the frame-table check must catch.
   */
  static final class ToySwapFactory implements ReclaimerFactory {
    @Override
    public String name() {
      return "toy-swap";
    }

    @Override
    public List<CostEntry> costs() {
      return List.of(CostEntry.nanos("toy_swap_in", "toy_swapped_in", 0, false, "a test swap device: free"));
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
          for (int tries = 0; freed < pages && tries < pages * 8 && vm.backedPages() > vm.minPages(); tries++) {
            long gppn = random.nextLong(vm.pages());
            long e = vm.p2m().get(gppn);
            if (P2mEntry.state(e) == P2mEntry.SHARED && P2mEntry.owner(e) != ctx.ownerId()) {
              if (!vm.requestRelease(gppn, true)) {
                continue;
              }
              e = vm.p2m().get(gppn);
            }
            if (P2mEntry.state(e) != P2mEntry.MAPPED || P2mEntry.owner(e) != 0) {
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
        public void fault(VmMemory vm, long gppn, long entry, FaultCause cause) {
          long content = slots.remove(P2mEntry.value(entry));
          long hppn = ctx.host().allocate(vm.index(), gppn);
          if (hppn == HostMemory.NO_FRAME) {
            throw new IllegalStateException("toy-swap: no frame to swap into");
          }
          if (cause.overwrites()) {
            vm.metrics().counter("toy_reads_avoided").increment();
          } else {
            ctx.host().setContent(hppn, lossy ? 0 : content);
            vm.metrics().counter("toy_swapped_in").increment();
          }
          if (cause == FaultCause.GUEST_IO) {
            vm.metrics().counter("toy_double_paging").increment();
          }
          vm.p2m().set(gppn, P2mEntry.mapped(hppn));
        }

        @Override
        public boolean release(VmMemory vm, long gppn, long entry, boolean keepContent) {
          if (keepContent) {
            fault(vm, gppn, entry, FaultCause.HYPERVISOR);
          } else {
            slots.remove(P2mEntry.value(entry));
            vm.p2m().set(gppn, P2mEntry.of(P2mEntry.UNBACKED, 0, 0));
          }
          return true;
        }

        @Override
        public boolean holds(VmMemory vm, long gppn, long entry) {
          return P2mEntry.state(entry) == P2mEntry.SWAPPED && slots.containsKey(P2mEntry.value(entry));
        }
      };
    }
  }

  /**
   * A balloon: pins guest pages through the guest OS and frees their frames; a pinned page
   * another technique holds it asks that technique to release, content not needed.
   */
  static final class ToyBalloonFactory implements ReclaimerFactory {
    @Override
    public String name() {
      return "toy-balloon";
    }

    @Override
    public Reclaimer create(ReclaimContext ctx) {
      return new Reclaimer() {
        final Map<Integer, java.util.Set<Long>> balloons = new HashMap<>();

        @Override
        public HostMemoryState actsFrom() {
          return HostMemoryState.SOFT;
        }

        @Override
        public long reclaim(VmMemory vm, long pages) {
          java.util.Set<Long> balloon = balloons.computeIfAbsent(vm.index(), k -> new java.util.HashSet<>());
          long freed = 0;
          long cap = vm.pages() * 65 / 100; // ESX's Mem.CtlMaxPercent
          while (freed < pages && vm.guest().pinnedPages() < cap && vm.backedPages() > vm.minPages()) {
            long gppn = vm.guest().pinPage();
            if (gppn < 0) {
              break;
            }
            if (!vm.requestRelease(gppn, false)) {
              vm.guest().unpinPage(gppn);
              break;
            }
            long e = vm.p2m().get(gppn);
            vm.p2m().set(gppn, P2mEntry.of(P2mEntry.BALLOONED, 0, ctx.ownerId()));
            if (P2mEntry.readable(e)) {
              ctx.host().free(P2mEntry.value(e));
              freed++;
            }
            balloon.add(gppn);
            vm.metrics().counter("toy_ballooned").increment();
          }
          return freed;
        }

        @Override
        public void fault(VmMemory vm, long gppn, long entry, FaultCause cause) {
          throw new IllegalStateException("the guest touched ballooned page " + gppn);
        }

        @Override
        public boolean holds(VmMemory vm, long gppn, long entry) {
          return balloons.getOrDefault(vm.index(), java.util.Set.of()).contains(gppn);
        }
      };
    }
  }

  /** {@link HandSwapper}: a technique that acts only when a test drives it by hand. */
  static final class HandFactory implements ReclaimerFactory {
    @Override
    public String name() {
      return "toy-hand";
    }

    @Override
    public Reclaimer create(ReclaimContext ctx) {
      return new HandSwapper(ctx.host(), ctx.ownerId());
    }
  }

  /**
   * A technique with one deliberate bug ({@code bug:} leak, double-free, refcount,
   * overwrite, writable-shared), done once on vm 0 at its first tick that finds a page to
   * do it on, for the frame-table contract to catch.
   */
  static final class BrokenFactory implements ReclaimerFactory {
    @Override
    public String name() {
      return "toy-broken";
    }

    @Override
    public Reclaimer create(ReclaimContext ctx) {
      String bug = ctx.settings().choice("bug", "leak", "leak", "double-free", "refcount", "overwrite",
          "writable-shared");
      VmMemory vm = ctx.vms().get(0);
      int me = ctx.ownerId();
      return new Reclaimer() {
        boolean done;

        @Override
        public HostMemoryState actsFrom() {
          return HostMemoryState.LOW;
        }

        @Override
        public long reclaim(VmMemory v, long pages) {
          return 0;
        }

        long content;

        /** Gives the page back correctly, so that only the bug itself is wrong. */
        @Override
        public void fault(VmMemory v, long gppn, long entry, FaultCause cause) {
          long hppn = ctx.host().allocate(v.index(), gppn);
          ctx.host().setContent(hppn, content);
          v.p2m().set(gppn, P2mEntry.mapped(hppn));
          if (P2mEntry.state(entry) == P2mEntry.SHARED) {
            ctx.host().dropSharer(P2mEntry.value(entry));
          }
        }

        @Override
        public long periodNanos() {
          return 100_000_000L;
        }

        @Override
        public void tick(long nowNanos) {
          for (long g = 0; g < vm.pages() && !done; g++) {
            long e = vm.p2m().get(g);
            boolean mine = P2mEntry.state(e) == P2mEntry.MAPPED && P2mEntry.owner(e) == 0;
            boolean others = P2mEntry.owner(e) != 0 && P2mEntry.owner(e) != me;
            if (bug.equals("overwrite") ? others : mine) {
              done = true;
              act(g, P2mEntry.value(e));
            }
          }
        }

        private void act(long gppn, long frame) {
          content = ctx.host().content(frame);
          switch (bug) {
            case "leak" -> vm.p2m().set(gppn, P2mEntry.of(P2mEntry.BALLOONED, 0, me));
            case "double-free" -> {
              vm.p2m().set(gppn, P2mEntry.of(P2mEntry.BALLOONED, 0, me));
              ctx.host().free(frame);
              ctx.host().free(frame);
            }
            case "refcount" -> {
              ctx.host().share(frame);
              ctx.host().addSharer(frame);
              vm.p2m().set(gppn, P2mEntry.of(P2mEntry.SHARED, frame, me));
            }
            case "overwrite" -> vm.p2m().set(gppn, P2mEntry.of(P2mEntry.BALLOONED, 0, me));
            default -> {
              ctx.host().share(frame);
              vm.p2m().set(gppn, P2mEntry.mapped(frame));
            }
          }
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
