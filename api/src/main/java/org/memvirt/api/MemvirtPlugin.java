package org.memvirt.api;

import com.google.inject.Module;

/**
 * A memvirt plugin: a Guice module that binds named technique factories, found at run time
 * by {@link java.util.ServiceLoader} (register it with {@code @AutoService(MemvirtPlugin.class)}).
 *
 * <p>In {@code configure()} a plugin binds its factories with {@link Techniques}, for example
 * {@code Techniques.mmus(binder()).addBinding("ept").to(EptMmuFactory.class)}, and lists
 * the same names in its {@link #descriptor()}.
 */
public interface MemvirtPlugin extends Module {
  /** Who this plugin is and what it provides. */
  PluginDescriptor descriptor();
}
