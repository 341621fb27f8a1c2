package org.memvirt.engine.hypervisor;

import java.util.List;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.engine.host.FrameTableViolation;
import org.memvirt.engine.host.HostFrames;
import org.memvirt.engine.vm.P2mTable;
import org.memvirt.engine.vm.VirtualMachine;

/**
 * The invariant of the ownership contract, checked over the whole machine (at the end of a
 * run with {@code verify}, and in tests): every frame accounted exactly once (free, private
 * to the one page that maps it writable, or shared or held with as many sharers as pages
 * map it read-only), every technique-held entry held by a technique that knows of it, and
 * no page mapping a frame it is not entitled to. It costs one int per host frame while it
 * runs.
 */
public final class FrameTableCheck {
  private FrameTableCheck() {}

  public static void check(HostFrames host, List<VirtualMachine> vms, List<Technique> techniques) {
    int[] refs = new int[Math.toIntExact(host.totalFrames())];
    for (VirtualMachine vm : vms) {
      P2mTable p2m = vm.p2m();
      for (long gppn = 0; gppn < p2m.pages(); gppn++) {
        long e = p2m.forTechniques(gppn);
        int state = P2mEntry.state(e);
        int owner = P2mEntry.owner(e);
        String page = "vm " + vm.name() + " guest page " + gppn;
        if (owner > techniques.size()) {
          throw new FrameTableViolation(page + " is held by owner id " + owner + ", which no technique has");
        }
        if (owner > 0) {
          Technique t = techniques.get(owner - 1);
          if (!t.reclaimer.holds(t.view(vm), gppn, e)) {
            throw new FrameTableViolation(page + " is " + P2mEntry.stateName(state) + " held by " + t.label()
                + ", which does not know of it (a lost page)");
          }
        } else if (state != P2mEntry.UNBACKED && state != P2mEntry.MAPPED && state != P2mEntry.ZERO) {
          throw new FrameTableViolation(page + " is " + P2mEntry.stateName(state) + " with no technique holding it");
        }
        if (!P2mEntry.readable(e)) {
          continue;
        }
        long f = P2mEntry.value(e);
        if (f >= refs.length) {
          throw new FrameTableViolation(page + " maps host frame " + f + ", which does not exist");
        }
        if (state == P2mEntry.MAPPED && !host.privateTo(f, vm.index(), gppn)) {
          throw new FrameTableViolation(page + " maps host frame " + f + " writable, but the frame is "
              + host.describe(f));
        }
        if (state == P2mEntry.SHARED && !host.shareable(f)) {
          throw new FrameTableViolation(page + " maps host frame " + f + " shared, but the frame is "
              + host.describe(f));
        }
        refs[(int) f]++;
      }
    }
    long free = 0;
    for (int f = 0; f < refs.length; f++) {
      int holder = host.holder(f);
      if (holder == HostFrames.FREE) {
        free++;
        if (refs[f] != 0) {
          throw new FrameTableViolation("host frame " + f + " is free but " + refs[f] + " guest pages map it");
        }
      } else if (holder >= 0) {
        if (refs[f] != 1) {
          throw new FrameTableViolation("host frame " + f + " is " + host.describe(f)
              + ", which no longer maps it" + nowHeld(vms.get(holder), host.privateGppn(f), techniques)
              + " (a leaked frame)");
        }
      } else if (refs[f] != host.sharers(f)) {
        throw new FrameTableViolation("host frame " + f + " is " + host.describe(f) + " but " + refs[f]
            + " guest pages map it (a reference count off by " + (host.sharers(f) - refs[f]) + ")");
      } else if (holder == HostFrames.SHARED && refs[f] == 0) {
        throw new FrameTableViolation("host frame " + f + " is shared by no page and not freed (a leaked frame)");
      }
    }
    if (free != host.freeFrames()) {
      throw new FrameTableViolation(free + " host frames are free but the free lists hold " + host.freeFrames());
    }
  }

  /** What the page a leaked frame was private to is now, and who holds it: the likely culprit. */
  private static String nowHeld(VirtualMachine vm, long gppn, List<Technique> techniques) {
    long e = vm.p2m().get(gppn);
    int owner = P2mEntry.owner(e);
    return ": it is " + P2mEntry.stateName(P2mEntry.state(e))
        + (P2mEntry.readable(e) ? " to host frame " + P2mEntry.value(e) : "")
        + (owner >= 1 && owner <= techniques.size() ? ", held by " + techniques.get(owner - 1).label() : "");
  }
}
