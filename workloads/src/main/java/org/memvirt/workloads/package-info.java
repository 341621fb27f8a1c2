/**
 * Synthetic workloads: uniform random, zipfian hot set, sequential scan, phases of working
 * sets, and idle. Each has a footprint, a read/write/fetch mix, and a content model for
 * what its writes store.
 */
package org.memvirt.workloads;
