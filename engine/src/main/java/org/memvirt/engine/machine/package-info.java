/**
 * One run's machine, assembled from an experiment and the plugins it names: the host, its
 * hypervisor, the VMs and vCPUs, the daemons, and the contexts handed to plugins.
 * Internal: public only because the engine's packages use each other, and free to change
 * between any two versions; library users start from {@link org.memvirt.engine.run}.
 */
package org.memvirt.engine.machine;
