package org.memvirt.policy.shares;

import com.google.auto.service.AutoService;
import com.google.inject.AbstractModule;
import java.util.List;
import org.memvirt.api.ApiVersion;
import org.memvirt.api.MemvirtPlugin;
import org.memvirt.api.PluginDescriptor;
import org.memvirt.api.Techniques;

/** Registers {@code policy: {type: shares | static | working-set}}. */
@AutoService(MemvirtPlugin.class)
public final class PoliciesPlugin extends AbstractModule implements MemvirtPlugin {
  @Override
  protected void configure() {
    Techniques.policies(binder()).addBinding(SharesPolicyFactory.NAME).to(SharesPolicyFactory.class);
    Techniques.policies(binder()).addBinding(StaticPolicyFactory.NAME).to(StaticPolicyFactory.class);
    Techniques.policies(binder()).addBinding(WorkingSetPolicyFactory.NAME).to(WorkingSetPolicyFactory.class);
  }

  @Override
  public PluginDescriptor descriptor() {
    String version = PoliciesPlugin.class.getPackage().getImplementationVersion();
    return new PluginDescriptor("policy-shares", version == null ? "dev" : version, ApiVersion.COMPILED,
        List.of(Techniques.Kind.POLICY.provides(SharesPolicyFactory.NAME),
            Techniques.Kind.POLICY.provides(StaticPolicyFactory.NAME),
            Techniques.Kind.POLICY.provides(WorkingSetPolicyFactory.NAME)));
  }
}
