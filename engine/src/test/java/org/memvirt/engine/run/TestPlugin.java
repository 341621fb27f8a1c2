package org.memvirt.engine.run;

import com.google.inject.AbstractModule;
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
import org.memvirt.api.mmu.CostEntry;
import org.memvirt.api.policy.AllocationPolicy;
import org.memvirt.api.policy.AllocationPolicyFactory;
import org.memvirt.api.policy.PolicyContext;
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
    Techniques.reclaimers(binder()).addBinding("toy-share").toInstance(new ToyShareFactory());
    Techniques.reclaimers(binder()).addBinding("toy-broken").toInstance(new BrokenFactory());
    Techniques.policies(binder()).addBinding("equal").toInstance(new EqualSplitFactory());
  }

  @Override
  public PluginDescriptor descriptor() {
    return new PluginDescriptor("test-plugin", "1.0.0", ApiVersion.COMPILED,
        List.of("workload:script", "reclaim:toy-swap", "reclaim:toy-balloon", "reclaim:toy-hand",
            "reclaim:toy-broken", "reclaim:toy-share", "policy:equal"));
  }

  /**
   * {@code {type: script, pages: "1,2,3", write: false}}: one access per listed page (page
   * numbers from 0x10000000), then finishes (and the process exits). With
   * {@code write: true} each access writes a value unique to its position; with
   * {@code loop: true} the script starts over instead of finishing.
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
      boolean loop = context.settings().flag("loop", false);
      return new Workload() {
        int at;

        @Override
        public int next(AccessBatch batch) {
          int n = 0;
          if (loop && at == pages.length) {
            at = 0;
          }
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
              // Its holder would need a frame to give it back with its content: only worth it
              // while some are free.
              if (ctx.host().freeFrames() == 0 || !vm.requestRelease(gppn, true)) {
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
          swapIn(vm, gppn, entry, cause);
        }

        /** Swaps the page in; false, leaving it swapped, when no frame can be had. */
        private boolean swapIn(VmMemory vm, long gppn, long entry, FaultCause cause) {
          long hppn = ctx.host().allocate(vm.index(), gppn);
          if (hppn == HostMemory.NO_FRAME) {
            return false;
          }
          long content = slots.remove(P2mEntry.value(entry));
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
          return true;
        }

        @Override
        public boolean release(VmMemory vm, long gppn, long entry, boolean keepContent) {
          if (keepContent) {
            return swapIn(vm, gppn, entry, FaultCause.HYPERVISOR);
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

        /** It takes any page, at once, down to the reservation. */
        @Override
        public org.memvirt.api.reclaim.LimitReach limitReach(VmMemory vm) {
          return new org.memvirt.api.reclaim.LimitReach(vm.minPages(), null);
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

        /** It pins pages at once, up to the cap. */
        @Override
        public org.memvirt.api.reclaim.LimitReach limitReach(VmMemory vm) {
          return new org.memvirt.api.reclaim.LimitReach(vm.pages() - vm.pages() * 65 / 100, "at most 65% (the cap)");
        }

        @Override
        public boolean holds(VmMemory vm, long gppn, long entry) {
          return balloons.getOrDefault(vm.index(), java.util.Set.of()).contains(gppn);
        }
      };
    }
  }

  /**
   * Content-based sharing, small: pages with equal content share one frame copy-on-write.
   * A write (or a whole-page overwrite) breaks the sharing with a private copy; a page
   * another technique wants it gives back the same way. Scans every VM each {@code period}
   * (200 ms), and merges when asked to reclaim.
   */
  static final class ToyShareFactory implements ReclaimerFactory {
    @Override
    public String name() {
      return "toy-share";
    }

    @Override
    public Reclaimer create(ReclaimContext ctx) {
      long period = ctx.settings().duration("period", 200_000_000L);
      return new Reclaimer() {
        /** Content of each shared frame this technique made, by frame; and the frame for each content. */
        final Map<Long, Long> frameContent = new HashMap<>();
        final Map<Long, Long> frameFor = new HashMap<>();

        @Override
        public HostMemoryState actsFrom() {
          return HostMemoryState.SOFT;
        }

        @Override
        public long reclaim(VmMemory vm, long pages) {
          long freed = 0;
          for (long g = 0; g < vm.pages() && freed < pages && vm.backedPages() > vm.minPages(); g++) {
            freed += merge(vm, g);
          }
          return freed;
        }

        /** A page seen with each content and not shared yet (KSM's unstable tree), as (vm << 40 | gppn). */
        final Map<Long, Long> candidates = new HashMap<>();

        /**
         * Merges page {@code g} with the shared frame of its content, or with an earlier page
         * of the same content; returns the frames freed (0 or 1).
         */
        private long merge(VmMemory vm, long g) {
          long e = vm.p2m().get(g);
          if (P2mEntry.state(e) != P2mEntry.MAPPED || P2mEntry.owner(e) != 0 || P2mEntry.large(e)) {
            return 0;
          }
          long own = P2mEntry.value(e);
          long content = ctx.host().content(own);
          Long shared = frameFor.get(content);
          if (shared == null) {
            long self = ((long) vm.index() << 40) | g;
            Long seen = candidates.put(content, self);
            if (seen == null || seen == self || !shareCandidate(seen, content)) {
              return 0;
            }
            shared = frameFor.get(content);
            candidates.remove(content);
          }
          ctx.host().addSharer(shared);
          vm.p2m().set(g, P2mEntry.of(P2mEntry.SHARED, shared, ctx.ownerId()));
          ctx.host().free(own);
          vm.metrics().counter("toy_merged").increment();
          return 1;
        }

        /** Makes the earlier page's frame the shared frame of {@code content}, if it still holds it. */
        private boolean shareCandidate(long seen, long content) {
          VmMemory vm = ctx.vms().get((int) (seen >>> 40));
          long g = seen & ((1L << 40) - 1);
          long e = vm.p2m().get(g);
          if (P2mEntry.state(e) != P2mEntry.MAPPED || P2mEntry.owner(e) != 0 || P2mEntry.large(e)
              || ctx.host().content(P2mEntry.value(e)) != content) {
            return false;
          }
          long frame = P2mEntry.value(e);
          ctx.host().share(frame);
          vm.p2m().set(g, P2mEntry.of(P2mEntry.SHARED, frame, ctx.ownerId()));
          frameFor.put(content, frame);
          frameContent.put(frame, content);
          return true;
        }

        @Override
        public long periodNanos() {
          return period;
        }

        @Override
        public void tick(long nowNanos) {
          for (VmMemory vm : ctx.vms()) {
            for (long g = 0; g < vm.pages(); g++) {
              merge(vm, g);
            }
          }
        }

        @Override
        public void fault(VmMemory vm, long gppn, long entry, FaultCause cause) {
          if (unshare(vm, gppn, entry, !cause.overwrites())) {
            vm.metrics().counter("toy_cow").increment();
          }
        }

        /**
         * The page gets a private frame: the shared one itself if it is the last sharer, else a
         * copy (with the content if {@code copy}); its sharer is dropped. False, leaving it
         * shared, when no frame can be had for the copy.
         */
        private boolean unshare(VmMemory vm, long gppn, long entry, boolean copy) {
          long shared = P2mEntry.value(entry);
          if (ctx.host().sharers(shared) == 1) {
            ctx.host().makePrivate(shared, vm.index(), gppn);
            frameFor.remove(frameContent.remove(shared));
            vm.p2m().set(gppn, P2mEntry.mapped(shared));
            return true;
          }
          long hppn = ctx.host().allocate(vm.index(), gppn);
          if (hppn == HostMemory.NO_FRAME) {
            return false;
          }
          if (copy) {
            ctx.host().setContent(hppn, ctx.host().content(shared));
          }
          vm.p2m().set(gppn, P2mEntry.mapped(hppn));
          ctx.host().dropSharer(shared);
          return true;
        }

        /** Gives a page back: a private copy when its content matters, else just unbacked (it frees). */
        @Override
        public boolean release(VmMemory vm, long gppn, long entry, boolean keepContent) {
          if (keepContent || vm.backedPages() <= vm.minPages()) {
            return unshare(vm, gppn, entry, keepContent);
          } else {
            vm.p2m().set(gppn, 0);
            if (ctx.host().dropSharer(P2mEntry.value(entry)) == 0) {
              frameFor.remove(frameContent.remove(P2mEntry.value(entry)));
            }
          }
          return true;
        }

        @Override
        public boolean holds(VmMemory vm, long gppn, long entry) {
          return P2mEntry.state(entry) == P2mEntry.SHARED && frameContent.containsKey(P2mEntry.value(entry));
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
