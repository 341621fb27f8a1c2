package org.memvirt.mmu.ept;

import com.google.auto.service.AutoService;
import com.google.inject.AbstractModule;
import java.util.List;
import org.memvirt.api.ApiVersion;
import org.memvirt.api.MemvirtPlugin;
import org.memvirt.api.PluginDescriptor;
import org.memvirt.api.Techniques;

/** Registers nested paging as {@code mmu.type: ept}. */
@AutoService(MemvirtPlugin.class)
public final class EptPlugin extends AbstractModule implements MemvirtPlugin {
  @Override
  protected void configure() {
    Techniques.mmus(binder()).addBinding(EptMmuFactory.NAME).to(EptMmuFactory.class);
  }

  @Override
  public PluginDescriptor descriptor() {
    String version = EptPlugin.class.getPackage().getImplementationVersion();
    return new PluginDescriptor("mmu-ept", version == null ? "dev" : version, ApiVersion.COMPILED,
        List.of(Techniques.Kind.MMU.provides(EptMmuFactory.NAME)));
  }
}
