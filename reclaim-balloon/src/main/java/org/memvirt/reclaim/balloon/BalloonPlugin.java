package org.memvirt.reclaim.balloon;

import com.google.auto.service.AutoService;
import com.google.inject.AbstractModule;
import java.util.List;
import org.memvirt.api.ApiVersion;
import org.memvirt.api.MemvirtPlugin;
import org.memvirt.api.PluginDescriptor;
import org.memvirt.api.Techniques;

/** Registers ballooning as {@code reclaim: {balloon: {...}}}. */
@AutoService(MemvirtPlugin.class)
public final class BalloonPlugin extends AbstractModule implements MemvirtPlugin {
  @Override
  protected void configure() {
    Techniques.reclaimers(binder()).addBinding(BalloonReclaimerFactory.NAME).to(BalloonReclaimerFactory.class);
  }

  @Override
  public PluginDescriptor descriptor() {
    String version = BalloonPlugin.class.getPackage().getImplementationVersion();
    return new PluginDescriptor("reclaim-balloon", version == null ? "dev" : version, ApiVersion.COMPILED,
        List.of(Techniques.Kind.RECLAIM.provides(BalloonReclaimerFactory.NAME)));
  }
}
