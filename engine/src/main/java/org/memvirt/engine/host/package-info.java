/**
 * The host's memory: the frame table and who holds each frame ({@code HostFrames}), free
 * lists, free-memory thresholds, the primitive arrays they are built on, and the
 * broken invariants that stop a run.
 * Internal: public only because the engine's packages use each other, and free to change
 * between any two versions; library users start from {@link org.memvirt.engine.run}.
 */
package org.memvirt.engine.host;
