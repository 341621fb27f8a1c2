package org.example.autoballoon;

import com.google.auto.service.AutoService;
import com.google.inject.AbstractModule;
import java.util.List;
import org.memvirt.api.ApiVersion;
import org.memvirt.api.MemvirtPlugin;
import org.memvirt.api.PluginDescriptor;
import org.memvirt.api.Techniques;

/** Registers {@code policy: {type: proxmox-autoballoon}}. */
@AutoService(MemvirtPlugin.class)
public final class AutoBalloonPlugin extends AbstractModule implements MemvirtPlugin {
  @Override
  protected void configure() {
    Techniques.policies(binder()).addBinding(AutoBalloonPolicyFactory.NAME).to(AutoBalloonPolicyFactory.class);
  }

  @Override
  public PluginDescriptor descriptor() {
    return new PluginDescriptor("proxmox-autoballoon", "1.0.0", ApiVersion.COMPILED,
        List.of(Techniques.Kind.POLICY.provides(AutoBalloonPolicyFactory.NAME)));
  }
}
