package org.memvirt.engine.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The exact fault counts of REFERENCES.md ("Page replacement (exact checks)"). */
class PageReplacementTest {
  private static final String BELADY = "1 2 3 4 1 2 5 1 2 3 4 5";
  private static final String TEXTBOOK = "7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1";

  @ParameterizedTest(name = "{0} with {1} frames: {2} faults")
  @CsvSource({
    "FIFO, 3, 9, " + BELADY,
    "FIFO, 4, 10, " + BELADY,
    "LRU, 3, 10, " + BELADY,
    "LRU, 4, 8, " + BELADY,
    "FIFO, 3, 15, " + TEXTBOOK,
    "FIFO, 4, 10, " + TEXTBOOK,
    "LRU, 3, 12, " + TEXTBOOK,
    "LRU, 4, 8, " + TEXTBOOK,
    // CLOCK, with its documented convention (a new page starts referenced, enters behind
    // the hand), worked by hand in the comment on faults() below.
    "CLOCK, 3, 9, " + BELADY,
  })
  void faultsOnReferenceStrings(PageReplacement.Policy policy, int frames, int expected, String refs) {
    assertThat(faults(policy, frames, refs)).isEqualTo(expected);
  }

  /**
   * CLOCK on 1 2 3 4 1 2 5 1 2 3 4 5 with 3 frames: 1 2 3 fault in (all referenced); 4 clears
   * every bit and evicts 1; 1 evicts 2; 2 evicts 3; 5 clears 4, 1, 2 and evicts 4; 1 and 2
   * hit; 3 clears 1, 2, 5 and evicts 1; 4 evicts 2; 5 hits: 9 faults.
   */
  static int faults(PageReplacement.Policy policy, int frames, String refs) {
    PageReplacement r = new PageReplacement(policy, frames);
    Map<Integer, Integer> frameOfPage = new HashMap<>();
    int[] pageOfFrame = new int[frames];
    boolean[] referenced = new boolean[frames];
    int used = 0;
    int faults = 0;
    for (String s : refs.trim().split("\\s+")) {
      int page = Integer.parseInt(s);
      Integer f = frameOfPage.get(page);
      if (f != null) {
        r.touch(f);
        referenced[f] = true;
        continue;
      }
      faults++;
      int frame;
      if (used < frames) {
        frame = used++;
      } else {
        frame = r.victim(fr -> {
          boolean was = referenced[fr];
          referenced[fr] = false;
          return was;
        });
        frameOfPage.remove(pageOfFrame[frame]);
      }
      frameOfPage.put(page, frame);
      pageOfFrame[frame] = page;
      referenced[frame] = true;
      r.add(frame);
    }
    return faults;
  }
}
