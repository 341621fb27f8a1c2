package org.memvirt.workloads;

import org.apache.commons.rng.UniformRandomProvider;
import org.memvirt.api.Settings;

/** Makes an {@link AccessPattern} from its settings, a random source and the footprint. */
@FunctionalInterface
interface PatternMaker {
  AccessPattern make(Settings settings, UniformRandomProvider random, long footprintBytes);
}
