package org.memvirt.reclaim.sharing;

import com.google.auto.service.AutoService;
import com.google.inject.AbstractModule;
import java.util.List;
import org.memvirt.api.ApiVersion;
import org.memvirt.api.MemvirtPlugin;
import org.memvirt.api.PluginDescriptor;
import org.memvirt.api.Techniques;

/** Registers content-based page sharing as {@code reclaim: {sharing: {...}}}. */
@AutoService(MemvirtPlugin.class)
public final class SharingPlugin extends AbstractModule implements MemvirtPlugin {
  @Override
  protected void configure() {
    Techniques.reclaimers(binder()).addBinding(SharingReclaimerFactory.NAME).to(SharingReclaimerFactory.class);
  }

  @Override
  public PluginDescriptor descriptor() {
    String version = SharingPlugin.class.getPackage().getImplementationVersion();
    return new PluginDescriptor("reclaim-sharing", version == null ? "dev" : version, ApiVersion.COMPILED,
        List.of(Techniques.Kind.RECLAIM.provides(SharingReclaimerFactory.NAME)));
  }
}
