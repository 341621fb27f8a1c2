/**
 * Plugin discovery and wiring: {@link org.memvirt.engine.plugin.PluginRegistry} finds the
 * plugins on the class path and in plugin folders, and says which it refused and why.
 */
package org.memvirt.engine.plugin;
