package org.memvirt.reclaim.swap;

import com.google.auto.service.AutoService;
import com.google.inject.AbstractModule;
import java.util.List;
import org.memvirt.api.ApiVersion;
import org.memvirt.api.MemvirtPlugin;
import org.memvirt.api.PluginDescriptor;
import org.memvirt.api.Techniques;

/** Registers hypervisor swapping as {@code reclaim: {swap: {...}}}. */
@AutoService(MemvirtPlugin.class)
public final class SwapPlugin extends AbstractModule implements MemvirtPlugin {
  @Override
  protected void configure() {
    Techniques.reclaimers(binder()).addBinding(SwapReclaimerFactory.NAME).to(SwapReclaimerFactory.class);
  }

  @Override
  public PluginDescriptor descriptor() {
    String version = SwapPlugin.class.getPackage().getImplementationVersion();
    return new PluginDescriptor("reclaim-swap", version == null ? "dev" : version, ApiVersion.COMPILED,
        List.of(Techniques.Kind.RECLAIM.provides(SwapReclaimerFactory.NAME)));
  }
}
