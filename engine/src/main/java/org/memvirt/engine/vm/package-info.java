/**
 * A virtual machine: its P2M map, vCPUs and their one straight access path, the hardware
 * its guest kernel runs on, the content oracle, and {@code VmExits}, all it knows of the
 * hypervisor.
 * Internal: public only because the engine's packages use each other, and free to change
 * between any two versions; library users start from {@link org.memvirt.engine.run}.
 */
package org.memvirt.engine.vm;
