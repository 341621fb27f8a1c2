package org.memvirt.trace;

import com.google.auto.service.AutoService;
import com.google.inject.AbstractModule;
import java.util.List;
import org.memvirt.api.ApiVersion;
import org.memvirt.api.MemvirtPlugin;
import org.memvirt.api.PluginDescriptor;
import org.memvirt.api.Techniques;

/** Registers the {@code trace} workload. */
@AutoService(MemvirtPlugin.class)
public final class TracePlugin extends AbstractModule implements MemvirtPlugin {
  private static final TraceWorkloadFactory FACTORY = new TraceWorkloadFactory();

  @Override
  protected void configure() {
    Techniques.workloads(binder()).addBinding(FACTORY.name()).toInstance(FACTORY);
  }

  @Override
  public PluginDescriptor descriptor() {
    String version = TracePlugin.class.getPackage().getImplementationVersion();
    return new PluginDescriptor("trace", version == null ? "dev" : version, ApiVersion.COMPILED,
        List.of(Techniques.Kind.WORKLOAD.provides(FACTORY.name())));
  }
}
