/**
 * Internal: a part of the engine, public only because the engine's packages use each other.
 * Not a stable interface for library users; it may change between any two versions. Library
 * users start from {@link org.memvirt.engine.sim.Experiments},
 * {@link org.memvirt.engine.sim.Simulation} and {@link org.memvirt.engine.plugin.PluginRegistry}.
 */
package org.memvirt.engine.machine;
