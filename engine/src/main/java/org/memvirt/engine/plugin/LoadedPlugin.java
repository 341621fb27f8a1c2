package org.memvirt.engine.plugin;

import org.memvirt.api.MemvirtPlugin;
import org.memvirt.api.PluginDescriptor;

/** A plugin the registry accepted, and where it came from (a jar, a folder, the class path). */
public record LoadedPlugin(PluginDescriptor descriptor, String source, MemvirtPlugin module) {}
