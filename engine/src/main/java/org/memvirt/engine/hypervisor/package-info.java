/**
 * The hypervisor: faults and ownership ({@code Hypervisor}), reclamation under limits,
 * pressure and by period ({@code Reclamation}), the technique views that enforce the frame
 * contract, memory accounting and the frame-table check.
 * Internal: public only because the engine's packages use each other, and free to change
 * between any two versions; library users start from {@link org.memvirt.engine.run}.
 */
package org.memvirt.engine.hypervisor;
