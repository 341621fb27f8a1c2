package org.memvirt.engine.host;

import org.memvirt.api.memory.HostMemoryState;

/**
 * Free-memory thresholds, as fractions of host memory. Defaults are ESX's
 * ({@link HostMemoryState#esxFraction}: high 6%, soft 4%, hard 2%, low 1%).
 *
 * <p>State machine: the host enters SOFT when free memory falls below the soft threshold,
 * HARD below the hard threshold and LOW below the low threshold. It goes back up one state
 * only once free memory reaches the threshold of the state above: from SOFT to HIGH at the
 * high threshold, from HARD to SOFT at the soft threshold, from LOW to HARD at the hard
 * threshold. That gap is the hysteresis the paper describes.
 */
public record FreeMemoryThresholds(double high, double soft, double hard, double low) {
  public static final FreeMemoryThresholds ESX = new FreeMemoryThresholds(HostMemoryState.HIGH.esxFraction(),
      HostMemoryState.SOFT.esxFraction(), HostMemoryState.HARD.esxFraction(), HostMemoryState.LOW.esxFraction());

  /** The threshold of {@code s} as a fraction of host memory. */
  public double fraction(HostMemoryState s) {
    return switch (s) {
      case HIGH -> high;
      case SOFT -> soft;
      case HARD -> hard;
      case LOW -> low;
    };
  }

  /** The state after free memory becomes {@code freeFraction}, coming from {@code current}. */
  public HostMemoryState next(HostMemoryState current, double freeFraction) {
    HostMemoryState s = current;
    // Down: as far as the thresholds say.
    if (freeFraction < low) {
      s = HostMemoryState.LOW;
    } else if (freeFraction < hard && s.ordinal() < HostMemoryState.HARD.ordinal()) {
      s = HostMemoryState.HARD;
    } else if (freeFraction < soft && s.ordinal() < HostMemoryState.SOFT.ordinal()) {
      s = HostMemoryState.SOFT;
    }
    // Up: one state at a time, each only past the threshold above it.
    while (true) {
      if (s == HostMemoryState.LOW && freeFraction >= hard) {
        s = HostMemoryState.HARD;
      } else if (s == HostMemoryState.HARD && freeFraction >= soft) {
        s = HostMemoryState.SOFT;
      } else if (s == HostMemoryState.SOFT && freeFraction >= high) {
        s = HostMemoryState.HIGH;
      } else {
        return s;
      }
    }
  }
}
