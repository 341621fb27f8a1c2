package org.memvirt.api.memory;

import java.util.function.IntFunction;

/**
 * The ownership contract for one change of a P2M entry, in one place: the engine enforces
 * it on every technique's change, the testkit's fakes on a technique under test.
 */
public final class EntryRules {
  private EntryRules() {}

  /** What the rules need to know of host frames. */
  public interface Frames {
    /** Whether frame {@code hppn} is private to this VM's page {@code gppn}. */
    boolean privateTo(long hppn, long gppn);

    /** Whether frame {@code hppn} is shared or held (mapped read-only by its sharers). */
    boolean shareable(long hppn);

    /** The frame's holder in words, for messages. */
    String describe(long hppn);
  }

  /**
   * Why the technique with owner id {@code owner} (negative: the allocation policy) may
   * not change guest page {@code gppn}'s entry from {@code old} to {@code entry}, or null
   * when it may. {@code backed}, {@code min} and {@code max} are the VM's pages backed by
   * a frame now, its reservation and its limit; {@code holder} names an owner id.
   */
  public static String refusal(long gppn, long old, long entry, int owner, Frames frames, long backed, long min,
      long max, IntFunction<String> holder) {
    if (owner < 0) {
      return "changed the P2M entry of guest page " + gppn + "; a policy may only read and sample it";
    }
    int held = P2mEntry.owner(old);
    if (held != 0 && held != owner) {
      return "changed guest page " + gppn + " (" + P2mEntry.stateName(P2mEntry.state(old)) + "), which "
          + holder.apply(held) + " holds; ask it with requestRelease";
    }
    int writes = P2mEntry.owner(entry);
    if (writes != 0 && writes != owner) {
      return "wrote the owner id of " + holder.apply(writes) + " into guest page " + gppn;
    }
    int state = P2mEntry.state(entry);
    long frame = P2mEntry.value(entry);
    if (state == P2mEntry.MAPPED && !frames.privateTo(frame, gppn)) {
      return "mapped guest page " + gppn + " writable to host frame " + frame + ", which is " + frames.describe(frame);
    }
    if (state == P2mEntry.SHARED && !frames.shareable(frame)) {
      return "mapped guest page " + gppn + " shared to host frame " + frame + ", which is " + frames.describe(frame);
    }
    boolean had = P2mEntry.readable(old);
    boolean has = P2mEntry.readable(entry);
    if (had && !has && backed <= min) {
      return "took guest page " + gppn + " at the VM's reservation (min " + min + " pages)";
    }
    if (!had && has && backed >= max) {
      return "backed guest page " + gppn + " at the VM's limit (max " + max + " pages); allocate() makes room first";
    }
    return null;
  }
}
