/**
 * The processor's parts that every technique shares: TLBs, walk caches, the simulated clock
 * and the counters of a scope.
 * Internal: public only because the engine's packages use each other, and free to change
 * between any two versions; library users start from {@link org.memvirt.engine.run}.
 */
package org.memvirt.engine.hardware;
