package org.memvirt.api;

/**
 * The counters of one scope (a vCPU, a VM or the host). Asking twice for one name returns
 * the same counter. The engine sums vCPU counters into their VM, and reports all of them
 * under their names. Use the names of {@link MetricNames} where one fits.
 */
public interface Metrics {
  Counter counter(String name);
}
