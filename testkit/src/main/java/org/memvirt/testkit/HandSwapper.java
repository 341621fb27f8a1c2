package org.memvirt.testkit;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.memvirt.api.memory.HostMemory;
import org.memvirt.api.memory.HostMemoryState;
import org.memvirt.api.memory.P2mEntry;
import org.memvirt.api.reclaim.FaultCause;
import org.memvirt.api.reclaim.Reclaimer;
import org.memvirt.api.reclaim.VmMemory;

/**
 * A technique a test drives by hand: it takes nothing on its own, swaps out the pages a
 * test gives it ({@link #swapOut}), keeping their content, and gives each back on a fault
 * (no read back for a whole-page overwrite) or when another technique asks. It counts the
 * faults it takes by cause in the VM's counters ({@code hand_fault_vcpu_read},
 * {@code hand_fault_guest_io}, ...). Correct by construction: a yardstick next to the
 * technique under test.
 */
public final class HandSwapper implements Reclaimer {
  private final HostMemory host;
  private final int ownerId;
  private final Map<Long, Long> kept = new HashMap<>();
  private final java.util.Set<Long> madeByHand = new java.util.HashSet<>();
  private long nextCookie;

  /** A swapper using {@code host}, writing {@code ownerId} into the entries it holds. */
  public HandSwapper(HostMemory host, int ownerId) {
    this.host = host;
    this.ownerId = ownerId;
  }

  /** Swaps page {@code gppn} of {@code vm} (a view with this technique's owner id) out: content kept, frame freed. */
  public void swapOut(VmMemory vm, long gppn) {
    long e = vm.p2m().get(gppn);
    long cookie = nextCookie++;
    kept.put(cookie, host.content(P2mEntry.value(e)));
    vm.p2m().set(gppn, P2mEntry.of(P2mEntry.SWAPPED, cookie, ownerId));
    host.free(P2mEntry.value(e));
  }

  /**
   * A test set page {@code gppn} of {@code vm} by hand through this technique's view (a
   * shared or ballooned entry, say): this technique knows it holds it.
   */
  public void madeByHand(VmMemory vm, long gppn) {
    madeByHand.add(((long) vm.index() << 40) | gppn);
  }

  @Override
  public HostMemoryState actsFrom() {
    return HostMemoryState.LOW;
  }

  @Override
  public long reclaim(VmMemory vm, long pages) {
    return 0;
  }

  @Override
  public void fault(VmMemory vm, long gppn, long entry, FaultCause cause) {
    vm.metrics().counter("hand_fault_" + cause.name().toLowerCase(Locale.ROOT)).increment();
    long content = kept.remove(P2mEntry.value(entry));
    long hppn = host.allocate(vm.index(), gppn);
    if (hppn == HostMemory.NO_FRAME) {
      throw new AssertionError("no frame to give vm " + vm.name() + " page " + gppn + " back");
    }
    if (!cause.overwrites()) {
      host.setContent(hppn, content);
    }
    vm.p2m().set(gppn, P2mEntry.mapped(hppn));
  }

  @Override
  public boolean release(VmMemory vm, long gppn, long entry, boolean keepContent) {
    if (keepContent) {
      fault(vm, gppn, entry, FaultCause.HYPERVISOR);
    } else {
      kept.remove(P2mEntry.value(entry));
      vm.p2m().set(gppn, 0);
    }
    return true;
  }

  @Override
  public boolean holds(VmMemory vm, long gppn, long entry) {
    return madeByHand.contains(((long) vm.index() << 40) | gppn)
        || P2mEntry.state(entry) == P2mEntry.SWAPPED && kept.containsKey(P2mEntry.value(entry));
  }
}
