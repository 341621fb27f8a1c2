/**
 * The guest OS of one VM: its frame allocator, page tables in guest frames, fault handler,
 * page replacement, swap device and the balloon driver's hooks.
 * Internal: public only because the engine's packages use each other, and free to change
 * between any two versions; library users start from {@link org.memvirt.engine.run}.
 */
package org.memvirt.engine.guest;
