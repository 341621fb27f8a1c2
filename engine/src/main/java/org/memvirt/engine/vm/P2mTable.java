package org.memvirt.engine.vm;

import org.memvirt.api.Counter;
import org.memvirt.api.memory.P2m;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.mmu.Mmu;
import org.memvirt.engine.host.HostFrames;
import org.memvirt.engine.host.LazyLongArray;

/**
 * One VM's P2M map as the engine keeps it: one {@code long} per guest physical page, and a
 * count of entries per state (the VM's memory gauges, kept as entries change). Every
 * change of an entry that had a frame invalidates the translations cached from it. This
 * is the unchecked map: techniques change it through their technique views (the hypervisor's).
 *
 * <p><b>Two readers of the accessed bit.</b> Reclamation techniques (a swapper's clock) and
 * the allocation policy (ESX's sampler) both clear the accessed bit and wait for a walk to
 * set it again; if either cleared the other's, the swapper would evict pages the guest uses
 * and the sampler would miss touches. So each has its own, as Linux keeps PG_young apart
 * from page_idle: bit 62 ({@link P2mEntry#ACCESSED}) is the techniques', bit 63
 * ({@link #SAMPLE_ARMED}) says the policy cleared its copy and no walk has set it since.
 * A walk ({@link #markAccessed}) sets the one and clears the other. Views show each
 * reader its own bit as bit 62.
 */
public final class P2mTable implements P2m {
  /** The policy's accessed bit, inverted: set by {@link #armSample}, cleared by a walk. */
  static final long SAMPLE_ARMED = 1L << 63;

  /** One entry per guest page, in chunks made when first written: an untouched region costs nothing. */
  private final LazyLongArray entries;
  private final long[] statePages = new long[16];
  private final Counter splits;
  private Mmu mmu;

  P2mTable(int pages, Counter splits) {
    this.entries = new LazyLongArray(pages);
    this.splits = splits;
    statePages[P2mEntry.UNBACKED] = pages;
  }

  void attach(Mmu mmu) {
    this.mmu = mmu;
  }

  @Override
  public long pages() {
    return entries.length();
  }

  @Override
  public long get(long gppn) {
    return entries.get(gppn);
  }

  @Override
  public void set(long gppn, long entry) {
    long old = entries.get(gppn);
    if (P2mEntry.large(old) && !P2mEntry.large(entry)) {
      splitLarge(gppn);
      old = entries.get(gppn);
    }
    // The policy's bit stays with the page whatever a technique writes: only a walk sets it.
    entries.set(gppn, (entry & ~SAMPLE_ARMED) | (old & SAMPLE_ARMED));
    statePages[P2mEntry.state(old)]--;
    statePages[P2mEntry.state(entry)]++;
    // Nothing can have cached a translation through an entry without a frame.
    if (P2mEntry.readable(old)) {
      mmu.p2mChanged(gppn);
    }
  }

  /**
   * Maps guest pages {@code gppnBase}..+511 to host frames {@code hppnBase}..+511 as one
   * 2 MiB host mapping. The entries must have been unbacked.
   */
  public void mapLarge(long gppnBase, long hppnBase) {
    for (int i = 0; i < HostFrames.BLOCK; i++) {
      long armed = entries.get(gppnBase + i) & SAMPLE_ARMED;
      entries.set(gppnBase + i, P2mEntry.mapped(hppnBase + i) | P2mEntry.LARGE | armed);
    }
    statePages[P2mEntry.UNBACKED] -= HostFrames.BLOCK;
    statePages[P2mEntry.MAPPED] += HostFrames.BLOCK;
  }

  /** Breaks the 2 MiB host mapping containing {@code gppn} into 4 KiB ones. */
  private void splitLarge(long gppn) {
    long base = gppn & ~(HostFrames.BLOCK - 1L);
    for (int i = 0; i < HostFrames.BLOCK; i++) {
      entries.set(base + i, entries.get(base + i) & ~P2mEntry.LARGE);
    }
    splits.increment();
    mmu.p2mChanged(base);
  }

  /** Whether guest pages {@code gppnBase}..+511 all exist and none is backed or held. */
  public boolean blockUnbacked(long gppnBase) {
    if (gppnBase + HostFrames.BLOCK > entries.length()) {
      return false;
    }
    for (int i = 0; i < HostFrames.BLOCK; i++) {
      if ((entries.get(gppnBase + i) & ~(P2mEntry.ACCESSED | SAMPLE_ARMED)) != 0) {
        return false;
      }
    }
    return true;
  }

  /** A walk used the entry: both readers' accessed bits are set. */
  @Override
  public void markAccessed(long gppn) {
    entries.set(gppn, (entries.get(gppn) | P2mEntry.ACCESSED) & ~SAMPLE_ARMED);
  }

  /** The techniques' accessed bit is cleared, and cached translations dropped so a walk sets it again. */
  @Override
  public void clearAccessed(long gppn) {
    long old = entries.get(gppn);
    entries.set(gppn, old & ~P2mEntry.ACCESSED);
    if (P2mEntry.readable(old)) {
      mmu.p2mChanged(gppn);
    }
  }

  /** The policy's accessed bit is cleared (ESX: the sampled page's mappings invalidated). */
  public void armSample(long gppn) {
    long old = entries.get(gppn);
    entries.set(gppn, old | SAMPLE_ARMED);
    if (P2mEntry.readable(old)) {
      mmu.p2mChanged(gppn);
    }
  }

  /** The entry as the techniques see it: their accessed bit, not the policy's. */
  public long forTechniques(long gppn) {
    return entries.get(gppn) & ~SAMPLE_ARMED;
  }

  /** The entry as the policy sees it: its own accessed bit in the place of the techniques'. */
  public long forPolicy(long gppn) {
    long e = entries.get(gppn);
    return (e & ~(P2mEntry.ACCESSED | SAMPLE_ARMED)) | ((e & SAMPLE_ARMED) == 0 ? P2mEntry.ACCESSED : 0);
  }

  /** Entries in {@code state} among guest pages {@code from} up to but not including {@code to}. */
  public long statePages(long from, long to, int state) {
    return entries.count(from, to, e -> P2mEntry.state(e) == state);
  }

  /** Entries in {@code state}. */
  public long statePages(int state) {
    return statePages[state];
  }

  /** Entries with a host frame, private or shared: what min and max are measured in. */
  long backedPages() {
    return statePages[P2mEntry.MAPPED] + statePages[P2mEntry.SHARED];
  }
}
