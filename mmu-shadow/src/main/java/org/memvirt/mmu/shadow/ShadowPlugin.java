package org.memvirt.mmu.shadow;

import com.google.auto.service.AutoService;
import com.google.inject.AbstractModule;
import java.util.List;
import org.memvirt.api.ApiVersion;
import org.memvirt.api.MemvirtPlugin;
import org.memvirt.api.PluginDescriptor;
import org.memvirt.api.Techniques;

/** Registers shadow paging as {@code mmu.type: shadow}. */
@AutoService(MemvirtPlugin.class)
public final class ShadowPlugin extends AbstractModule implements MemvirtPlugin {
  @Override
  protected void configure() {
    Techniques.mmus(binder()).addBinding(ShadowMmuFactory.NAME).to(ShadowMmuFactory.class);
  }

  @Override
  public PluginDescriptor descriptor() {
    String version = ShadowPlugin.class.getPackage().getImplementationVersion();
    return new PluginDescriptor("mmu-shadow", version == null ? "dev" : version, ApiVersion.COMPILED,
        List.of(Techniques.Kind.MMU.provides(ShadowMmuFactory.NAME)));
  }
}
