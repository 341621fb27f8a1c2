package org.memvirt.engine.plugin.external;

import com.google.inject.AbstractModule;
import java.util.List;
import org.memvirt.api.ApiVersion;
import org.memvirt.api.MemvirtPlugin;
import org.memvirt.api.PluginDescriptor;
import org.memvirt.api.Techniques;
import org.memvirt.api.workload.AccessBatch;
import org.memvirt.api.workload.Workload;
import org.memvirt.api.workload.WorkloadContext;
import org.memvirt.api.workload.WorkloadFactory;

/**
 * A third-party plugin built against the api alone; the registry test packs it into a jar
 * and loads it from a plugin directory. It is not registered on the test class path.
 */
public final class ExternalPlugin extends AbstractModule implements MemvirtPlugin {
  @Override
  protected void configure() {
    Techniques.workloads(binder()).addBinding("external-touch").toInstance(new WorkloadFactory() {
      @Override
      public String name() {
        return "external-touch";
      }

      @Override
      public Workload create(WorkloadContext context) {
        long pages = context.settings().count("pages", 4);
        return new Workload() {
          long done;

          @Override
          public int next(AccessBatch batch) {
            int n = 0;
            while (n < batch.capacity() && done < pages) {
              batch.addresses[n] = 0x2000_0000L + (done++ << 12);
              batch.kinds[n++] = 0;
            }
            return n;
          }
        };
      }
    });
  }

  @Override
  public PluginDescriptor descriptor() {
    return new PluginDescriptor("external", "2.3.4", ApiVersion.COMPILED, List.of("workload:external-touch"));
  }
}
