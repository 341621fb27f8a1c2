package com.example.memvirt;

import com.google.auto.service.AutoService;
import com.google.inject.AbstractModule;
import java.util.List;
import org.memvirt.api.ApiVersion;
import org.memvirt.api.MemvirtPlugin;
import org.memvirt.api.PluginDescriptor;
import org.memvirt.api.Techniques;

/**
 * The plugin: registered for ServiceLoader by @AutoService, a Guice module that binds one
 * factory per kind under its name, and a descriptor that lists them. The names come from
 * the factories' own constants, so the binding, {@code name()} and {@code provides} agree
 * (memvirt refuses a plugin where they do not).
 */
@AutoService(MemvirtPlugin.class)
public final class MyPlugin extends AbstractModule implements MemvirtPlugin {
  @Override
  protected void configure() {
    Techniques.policies(binder()).addBinding(EqualSplitPolicyFactory.NAME).to(EqualSplitPolicyFactory.class);
    Techniques.reclaimers(binder()).addBinding(DiscardFreeFactory.NAME).to(DiscardFreeFactory.class);
    Techniques.workloads(binder()).addBinding(StrideWorkloadFactory.NAME).to(StrideWorkloadFactory.class);
  }

  @Override
  public PluginDescriptor descriptor() {
    return new PluginDescriptor("my-memvirt-plugin", "1.0.0", ApiVersion.COMPILED, List.of(
        Techniques.Kind.POLICY.provides(EqualSplitPolicyFactory.NAME),
        Techniques.Kind.RECLAIM.provides(DiscardFreeFactory.NAME),
        Techniques.Kind.WORKLOAD.provides(StrideWorkloadFactory.NAME)));
  }
}
