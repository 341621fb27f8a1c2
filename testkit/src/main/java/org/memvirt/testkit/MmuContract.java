package org.memvirt.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.memvirt.api.AccessKind;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.mmu.Mmu;
import org.memvirt.api.mmu.MmuFactory;
import org.memvirt.api.mmu.Pte;
import org.memvirt.api.mmu.WalkResult;

/**
 * The contract every translation technique keeps, ours or a third party's, checked on a
 * {@link FakeMachine} with random guest tables: two vCPUs run three processes while the
 * guest remaps and unmaps pages, clears accessed and dirty bits, retires and reuses page
 * tables and switches between 4 KiB and 2 MiB pages (each write told to the MMU as a guest
 * table write), and the hypervisor changes the P2M under it (new frames, read-only shared
 * frames, unbacked pages, accessed bits cleared, 2 MiB host mappings made and split). After
 * every access:
 *
 * <ul>
 *   <li>the translation is what a reference walk of the guest tables and the P2M gives now
 *       (or a guest fault where the guest maps nothing): a stale shadow entry, TLB entry or
 *       walk-cache entry anywhere, one a change should have invalidated, shows up as a wrong
 *       frame;
 *   <li>the guest's accessed bits are set on every level walked and its dirty bit on a
 *       write, and the P2M's accessed bit on a small page, as hardware sets them;
 *   <li>the TLB holds the page, and a writable TLB entry only for a dirty guest page on a
 *       writable frame.
 * </ul>
 *
 * A broken rule is an {@link AssertionError} saying which, with the seed and the step. Call
 * {@link #verify} from any test framework.
 */
public final class MmuContract {
  /** What the run of the contract saw: the machine (its counters, for a technique's own checks), and what it checked. */
  public record Report(FakeMachine machine, int accesses, int guestFaults, int tableWrites, int p2mChanges) {}

  private static final long BLOCK_A = 2048;
  private static final long BLOCK_B = 2560;
  private static final int POOL_FIRST = 1500;
  private static final int POOL_SIZE = 40;
  private static final int LARGE_PDE = 3;
  private static final int STEPS = 600;

  private final SplittableRandom random;
  private final long seed;
  private final FakeMachine fm;
  private final Mmu mmu;
  private final List<FakeVcpu> cpus = new ArrayList<>();
  private final List<MapTlb> tlbs = new ArrayList<>();
  private final long[] running = new long[2];
  private final long[] roots = new long[3];
  private final List<Long> freeTables = new ArrayList<>();
  private long nextHostFrame = 3000;
  private int step;
  private int accesses;
  private int guestFaults;
  private int tableWrites;
  private int p2mChanges;

  private MmuContract(MmuFactory factory, Map<String, Object> settings, long seed) {
    this.seed = seed;
    this.random = new SplittableRandom(seed);
    this.fm = new FakeMachine(4).withSettings(settings);
    this.mmu = factory.create(fm);
  }

  /**
   * Runs the contract on the MMU {@code factory} makes with {@code settings}, from
   * {@code seed}: the same seed, the same guest and the same changes.
   */
  public static Report verify(MmuFactory factory, Map<String, Object> settings, long seed) {
    MmuContract c = new MmuContract(factory, settings, seed);
    c.run();
    return new Report(c.fm, c.accesses, c.guestFaults, c.tableWrites, c.p2mChanges);
  }

  private void run() {
    int walkCache = random.nextInt(2);
    for (int r = 0; r < roots.length; r++) {
      roots[r] = buildProcess();
    }
    for (int g = POOL_FIRST; g < POOL_FIRST + POOL_SIZE; g++) {
      if (random.nextBoolean()) {
        fm.setP2m(g, P2mEntry.mapped(newHostFrame()));
      }
    }
    for (int c = 0; c < 2; c++) {
      MapTlb tlb = new MapTlb();
      fm.withWalkCaches(new MapWalkCache(walkCache), new MapWalkCache(walkCache),
          new MapWalkCache(walkCache));
      tlbs.add(tlb);
      cpus.add(new FakeVcpu(fm, mmu, tlb));
      running[c] = roots[c];
      cpus.get(c).mmu().loadCr3(roots[c]);
    }
    for (step = 0; step < STEPS; step++) {
      int op = random.nextInt(100);
      if (op < 45) {
        access();
      } else if (op < 60) {
        remapLeaf();
      } else if (op < 65) {
        clearAccessedAndDirty();
      } else if (op < 70) {
        toggleLargePage();
      } else if (op < 74) {
        retireTable();
      } else if (op < 84) {
        changeP2m();
      } else if (op < 88) {
        backBlockLarge();
      } else if (op < 93) {
        switchProcess();
      } else if (op < 96) {
        cpus.get(random.nextInt(2)).mmu().flushTlb();
      } else {
        int c = random.nextInt(2);
        cpus.get(c).mmu().invalidatePage(anyAddress());
      }
    }
  }

  // ---- the guest -------------------------------------------------------------------------

  /** A process whose tables cover two PML4 slots, three PDs' worth of 4 KiB pages and one 2 MiB region. */
  private long buildProcess() {
    long root = fm.newTable();
    for (int p4 = 0; p4 < 2; p4++) {
      for (int p2 = 0; p2 < 3; p2++) {
        long gva = address(p4, p2, 0);
        fm.map(root, gva, false);
        long pt = Pte.frame(fm.leaf(root, gva, 2));
        for (int p1 : new int[] {0, 1, 2, 3, 511}) {
          fm.writeGuestEntry(pt, p1, random.nextInt(4) == 0 ? 0 : Pte.make(poolPage(), Pte.PRESENT | Pte.WRITABLE));
        }
      }
    }
    long pd = Pte.frame(fm.leaf(root, address(0, 0, 0), 3));
    fm.writeGuestEntry(pd, LARGE_PDE, Pte.make(random.nextBoolean() ? BLOCK_A : BLOCK_B,
        Pte.PRESENT | Pte.WRITABLE | Pte.LARGE));
    return root;
  }

  private static long address(int p4, int p2, int p1) {
    return ((long) p4 << 39) | ((long) p2 << 21) | ((long) p1 << 12);
  }

  private long anyAddress() {
    int p4 = random.nextInt(2);
    int p2 = p4 == 0 ? random.nextInt(4) : random.nextInt(3);
    int[] p1s = {0, 1, 2, 3, 511};
    return address(p4, p2, p1s[random.nextInt(p1s.length)]) | random.nextInt(4096);
  }

  private long poolPage() {
    return POOL_FIRST + random.nextInt(POOL_SIZE);
  }

  private long newHostFrame() {
    return nextHostFrame++;
  }

  private long rootOfSomeProcess() {
    return roots[random.nextInt(roots.length)];
  }

  /** The guest invalidates {@code gva} of {@code root} on every vCPU running it (untagged TLBs: only those). */
  private void shootdown(long root, long gva) {
    for (int c = 0; c < 2; c++) {
      if (running[c] == root) {
        cpus.get(c).mmu().invalidatePage(gva);
      }
    }
  }

  /** The table and index of the entry at {@code level} for {@code gva}, or null past a missing entry. */
  private long[] entryAt(long root, long gva, int level) {
    long table = root;
    for (int l = 4; l > level; l--) {
      long e = fm.read(table, Pte.index(gva, l));
      if (!Pte.present(e) || (e & Pte.LARGE) != 0) {
        return null;
      }
      table = Pte.frame(e);
    }
    return new long[] {table, Pte.index(gva, level)};
  }

  private void writeEntry(long table, int index, long value) {
    fm.writeGuestEntry(table, index, value);
    mmu.guestPageTableWritten(table, index);
    tableWrites++;
  }

  private void remapLeaf() {
    long root = rootOfSomeProcess();
    long gva = anyAddress();
    long[] at = entryAt(root, gva, 1);
    if (at == null) {
      return;
    }
    long old = fm.read(at[0], (int) at[1]);
    int pick = random.nextInt(10);
    long entry;
    if (pick < 3) {
      entry = 0;
    } else if (pick < 4 && !freeTables.isEmpty()) {
      // A retired table page mapped as data.
      entry = Pte.make(freeTables.get(random.nextInt(freeTables.size())), Pte.PRESENT | Pte.WRITABLE);
    } else {
      entry = Pte.make(poolPage(), Pte.PRESENT | Pte.WRITABLE);
    }
    writeEntry(at[0], (int) at[1], entry);
    if (Pte.present(old)) {
      shootdown(root, gva);
    }
  }

  private void clearAccessedAndDirty() {
    long root = rootOfSomeProcess();
    long gva = anyAddress();
    long[] at = entryAt(root, gva, 1);
    if (at == null) {
      at = entryAt(root, gva, 2);
      if (at == null || (fm.read(at[0], (int) at[1]) & Pte.LARGE) == 0) {
        return;
      }
    }
    long old = fm.read(at[0], (int) at[1]);
    if (Pte.present(old)) {
      writeEntry(at[0], (int) at[1], old & ~(Pte.ACCESSED | Pte.DIRTY));
      shootdown(root, gva);
    }
  }

  /** The 2 MiB region of a process becomes a page table of small pages, or a 2 MiB page again. */
  private void toggleLargePage() {
    long root = rootOfSomeProcess();
    long gva = address(0, LARGE_PDE, random.nextInt(512));
    long[] at = entryAt(root, gva, 2);
    long old = fm.read(at[0], (int) at[1]);
    long entry;
    if ((old & Pte.LARGE) != 0 || !Pte.present(old)) {
      long pt = freeTables.isEmpty() ? fm.newTable() : freeTables.remove(freeTables.size() - 1);
      for (int p1 : new int[] {0, 1, 2, 3, 511}) {
        fm.writeGuestEntry(pt, p1, random.nextBoolean() ? 0 : Pte.make(poolPage(), Pte.PRESENT | Pte.WRITABLE));
      }
      entry = Pte.make(pt, Pte.PRESENT | Pte.WRITABLE);
    } else {
      entry = Pte.make(random.nextBoolean() ? BLOCK_A : BLOCK_B, Pte.PRESENT | Pte.WRITABLE | Pte.LARGE);
    }
    writeEntry(at[0], (int) at[1], entry);
    if (Pte.present(old)) {
      shootdown(root, gva);
      for (int c = 0; c < 2; c++) {
        if (running[c] == root) {
          cpus.get(c).mmu().flushTlb();
        }
      }
    }
  }

  /** A page table leaves its PD, is zeroed as a whole page, and becomes free for reuse (or data). */
  private void retireTable() {
    long root = rootOfSomeProcess();
    int p4 = random.nextInt(2);
    int p2 = random.nextInt(3);
    long gva = address(p4, p2, 0);
    long[] at = entryAt(root, gva, 2);
    long old = fm.read(at[0], (int) at[1]);
    if (Pte.present(old)) {
      long pt = Pte.frame(old);
      writeEntry(at[0], (int) at[1], 0);
      for (int c = 0; c < 2; c++) {
        if (running[c] == root) {
          cpus.get(c).mmu().flushTlb();
        }
      }
      for (int i = 0; i < Pte.ENTRIES; i++) {
        fm.writeGuestEntry(pt, i, 0);
      }
      mmu.guestPageWritten(pt);
      freeTables.add(pt);
    } else {
      long pt = freeTables.isEmpty() ? fm.newTable() : freeTables.remove(0);
      for (int i = 0; i < Pte.ENTRIES; i++) {
        fm.writeGuestEntry(pt, i, 0);
      }
      mmu.guestPageWritten(pt);
      for (int p1 : new int[] {0, 1, 2, 3, 511}) {
        fm.writeGuestEntry(pt, p1, Pte.make(poolPage(), Pte.PRESENT | Pte.WRITABLE));
      }
      writeEntry(at[0], (int) at[1], Pte.make(pt, Pte.PRESENT | Pte.WRITABLE));
    }
  }

  private void switchProcess() {
    int c = random.nextInt(2);
    running[c] = rootOfSomeProcess();
    cpus.get(c).mmu().loadCr3(running[c]);
  }

  // ---- the hypervisor --------------------------------------------------------------------

  /** What the engine's P2M does on a change: split a 2 MiB host mapping first, then tell the MMU. */
  private void setP2m(long gppn, long entry) {
    long base = gppn & ~511L;
    if ((base == BLOCK_A || base == BLOCK_B) && P2mEntry.large(fm.get(gppn))) {
      for (int i = 0; i < 512; i++) {
        fm.setP2m(base + i, fm.get(base + i) & ~P2mEntry.LARGE);
      }
      mmu.p2mChanged(base);
    }
    long old = fm.get(gppn);
    fm.setP2m(gppn, entry);
    p2mChanges++;
    if (P2mEntry.readable(old)) {
      mmu.p2mChanged(gppn);
    }
  }

  private void changeP2m() {
    long gppn;
    int where = random.nextInt(3);
    if (where == 0) {
      gppn = poolPage();
    } else {
      gppn = (where == 1 ? BLOCK_A : BLOCK_B) + random.nextInt(4) * 127;
    }
    int kind = random.nextInt(4);
    if (kind == 0) {
      setP2m(gppn, 0);
    } else if (kind == 1) {
      setP2m(gppn, P2mEntry.of(P2mEntry.SHARED, newHostFrame(), 0));
    } else if (kind == 2) {
      fm.clearAccessed(gppn);
      if (P2mEntry.readable(fm.get(gppn))) {
        mmu.p2mChanged(gppn);
      }
    } else {
      setP2m(gppn, P2mEntry.mapped(newHostFrame()));
    }
  }

  /** A 2 MiB block whose pages are all unbacked gets one 2 MiB host mapping (as the engine backs large). */
  private void backBlockLarge() {
    long base = random.nextBoolean() ? BLOCK_A : BLOCK_B;
    for (int i = 0; i < 512; i++) {
      if (P2mEntry.readable(fm.get(base + i))) {
        setP2m(base + i, 0);
      }
    }
    long frame = 100_000 + base;
    for (int i = 0; i < 512; i++) {
      fm.setP2m(base + i, P2mEntry.mapped(frame + i) | P2mEntry.LARGE);
    }
  }

  // ---- the check ---------------------------------------------------------------------------

  private void access() {
    int c = random.nextInt(2);
    long gva = anyAddress();
    boolean write = random.nextBoolean();
    long hpa = cpus.get(c).translate(gva, write ? AccessKind.WRITE : AccessKind.READ);
    accesses++;
    String wrong = ReferenceWalk.wrong(fm, tlbs.get(c), running[c], gva, write, hpa);
    if (wrong != null) {
      throw new AssertionError("MMU contract, seed " + seed + ", step " + step + ", vCPU " + c + ": " + wrong);
    }
    if (hpa == WalkResult.GUEST_FAULT) {
      guestFaults++;
    }
  }
}
