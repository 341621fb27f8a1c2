package org.memvirt.engine.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memvirt.api.Counter;
import org.memvirt.api.MetricNames;
import org.memvirt.api.reclaim.FaultCause;
import org.memvirt.api.reclaim.GuestMemoryListener;

/**
 * What a driver inside the guest can count on: a pin the guest cannot honour is refused,
 * not fatal; the guest out of memory asks its drivers for pages (deflate-on-OOM); every
 * page it frees is reported (free page reporting).
 */
class GuestDriverHooksTest {
  private final Map<String, Counter> counters = new HashMap<>();

  /** A guest of 64 pages with {@code swapPages} of swap, on hardware that just stores content. */
  private GuestKernel guest(int swapPages) {
    GuestKernel k = new GuestKernel("vm", 0, 64 * 4096L, 4, PageReplacement.Policy.FIFO, swapPages * 4096L, 0,
        n -> counters.computeIfAbsent(n, Counter::new));
    Map<Long, Long> memory = new HashMap<>();
    k.attach(new GuestHardware() {
      @Override
      public long readPhysical(long gppn, FaultCause cause) {
        return memory.getOrDefault(gppn, 0L);
      }

      @Override
      public void writePhysical(long gppn, long token, FaultCause cause) {
        memory.put(gppn, token);
      }

      @Override
      public void writeTableEntry(long tableGppn, int index) {}

      @Override
      public void invalidatePage(GuestProcess process, long gva) {}
    });
    return k;
  }

  /** Faults in data pages of {@code p} until the guest has no free page left; returns how many. */
  private static int fill(GuestKernel k, GuestProcess p) {
    int n = 0;
    while (k.memory().freePages() > 0) {
      k.handlePageFault(p, 0x1000_0000L + n * 4096L);
      n++;
    }
    return n;
  }

  @Test
  void aPinTheGuestCannotHonourIsRefused() {
    GuestKernel k = guest(4);
    GuestProcess p = k.createProcess();
    fill(k, p);
    // Four pins swap four pages out; with the swap device full the fifth is refused.
    for (int i = 0; i < 4; i++) {
      assertThat(k.memory().pinPage()).isNotNegative();
    }
    assertThat(counters.get(MetricNames.GUEST_SWAP_OUTS).get()).isEqualTo(4);
    assertThat(k.memory().pinPage()).isEqualTo(-1);
    assertThat(k.memory().pinnedPages()).isEqualTo(4);
  }

  @Test
  void aGuestOutOfMemoryAsksItsDriversForPages() {
    GuestKernel k = guest(0);
    List<Long> balloon = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      balloon.add(k.memory().pinPage());
    }
    List<Long> asked = new ArrayList<>();
    k.memory().addListener(new GuestMemoryListener() {
      @Override
      public long onOutOfMemory(long pagesWanted) {
        asked.add(pagesWanted);
        k.memory().unpinPage(balloon.remove(balloon.size() - 1));
        return 1;
      }
    });
    GuestProcess p = k.createProcess();
    int before = fill(k, p);
    // Three more faults: each finds nothing free, nothing to swap to, and deflates the balloon by one.
    for (int i = 0; i < 3; i++) {
      k.handlePageFault(p, 0x1000_0000L + (before + i) * 4096L);
    }
    assertThat(asked).containsExactly(1L, 1L, 1L);
    assertThat(k.memory().pinnedPages()).isEqualTo(5);
  }

  @Test
  void everyPageTheGuestFreesIsReported() {
    GuestKernel k = guest(64);
    List<Long> freed = new ArrayList<>();
    k.memory().addListener(new GuestMemoryListener() {
      @Override
      public void onPageFreed(long gppn) {
        freed.add(gppn);
      }
    });
    GuestProcess p = k.createProcess();
    for (int i = 0; i < 10; i++) {
      k.handlePageFault(p, 0x1000_0000L + i * 4096L);
    }
    long used = k.memory().usedPages();
    k.exitProcess(p);
    // Ten data pages and the four tables that mapped them.
    assertThat(freed).hasSize(14).doesNotHaveDuplicates();
    assertThat(used).isEqualTo(14);
    assertThat(k.memory().usedPages()).isZero();
  }
}
