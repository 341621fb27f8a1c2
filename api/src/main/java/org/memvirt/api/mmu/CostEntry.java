package org.memvirt.api.mmu;

/**
 * A cycle cost a technique adds to the cost model: every {@code counter} event costs
 * {@code defaultCycles} (overridable as {@code costs.KEY}); under the native baseline it
 * is charged only if {@code native}. {@code source} says where the default comes from.
 */
public record CostEntry(String key, String counter, long defaultCycles, boolean nativeToo, String source) {}
