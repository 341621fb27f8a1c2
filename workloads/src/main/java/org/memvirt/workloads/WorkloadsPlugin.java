package org.memvirt.workloads;

import com.google.auto.service.AutoService;
import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import java.util.List;
import org.memvirt.api.ApiVersion;
import org.memvirt.api.MemvirtPlugin;
import org.memvirt.api.PluginDescriptor;
import org.memvirt.api.SettingInfo;
import org.memvirt.api.Techniques;
import org.memvirt.api.workload.WorkloadFactory;

/** Registers the synthetic workloads. */
@AutoService(MemvirtPlugin.class)
public final class WorkloadsPlugin extends AbstractModule implements MemvirtPlugin {
  static final List<PatternWorkloadFactory> FACTORIES = List.of(
      new PatternWorkloadFactory("uniform", "every page of the footprint equally likely", UniformPattern::new),
      new PatternWorkloadFactory("zipf", "zipfian hot set over the footprint's pages (skew, default 0.99)",
          ZipfPattern::new, new SettingInfo("skew", "0.99", "zipf exponent (YCSB's constant)")),
      new PatternWorkloadFactory("sequential", "scans the footprint in order with a stride, wrapping around",
          SequentialPattern::new, new SettingInfo("stride", "64", "bytes per step")),
      new PatternWorkloadFactory("phases", "uniform within a working set that moves on every phase",
          PhasesPattern::new,
          new SettingInfo("working_set", "64MiB", "the working set (default a quarter of the footprint)"),
          new SettingInfo("phase", "1M", "accesses before the working set moves on"),
          SettingInfo.example("alternate", "16MiB",
              "every other phase the working set is this size instead (default: working_set)")),
      new PatternWorkloadFactory("idle", "touches its footprint once, then only a small active set, or nothing",
          IdlePattern::new, new SettingInfo("active", "0",
              "after the first touch, only the first this many bytes (0: it finishes, its memory left idle)")));

  @Override
  protected void configure() {
    MapBinder<String, WorkloadFactory> map = Techniques.workloads(binder());
    for (PatternWorkloadFactory f : FACTORIES) {
      map.addBinding(f.name()).toInstance(f);
    }
    map.addBinding(ImageWorkloadFactory.NAME).toInstance(new ImageWorkloadFactory());
    map.addBinding(DedupProbeFactory.NAME).toInstance(new DedupProbeFactory());
  }

  @Override
  public PluginDescriptor descriptor() {
    String version = WorkloadsPlugin.class.getPackage().getImplementationVersion();
    return new PluginDescriptor("workloads", version == null ? "dev" : version, ApiVersion.COMPILED,
        java.util.stream.Stream.concat(FACTORIES.stream().map(PatternWorkloadFactory::name),
            java.util.stream.Stream.of(ImageWorkloadFactory.NAME, DedupProbeFactory.NAME)).map(Techniques.Kind.WORKLOAD::provides).toList());
  }
}
