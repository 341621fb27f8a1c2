package org.memvirt.api;

import com.google.inject.Binder;
import com.google.inject.multibindings.MapBinder;
import org.memvirt.api.mmu.MmuFactory;
import org.memvirt.api.policy.AllocationPolicyFactory;
import org.memvirt.api.reclaim.ReclaimerFactory;
import org.memvirt.api.workload.WorkloadFactory;

/**
 * The named maps a plugin binds its factories into. An experiment names the techniques it
 * wants ({@code mmu.type: ept}); the engine picks them from these maps.
 */
public final class Techniques {
  /** The kinds of technique, as written in {@link PluginDescriptor#provides()}. */
  public enum Kind {
    MMU("mmu", MmuFactory.class),
    RECLAIM("reclaim", ReclaimerFactory.class),
    POLICY("policy", AllocationPolicyFactory.class),
    WORKLOAD("workload", WorkloadFactory.class);

    private final String word;
    private final Class<?> factoryType;

    Kind(String word, Class<?> factoryType) {
      this.word = word;
      this.factoryType = factoryType;
    }

    /** The factory interface a plugin binds this kind's techniques as (the value type of its map). */
    public Class<?> factoryType() {
      return factoryType;
    }

    /** The word used in descriptors and messages. */
    public String word() {
      return word;
    }

    /** {@code kind:name}, as a descriptor lists it. */
    public String provides(String name) {
      return word + ":" + name;
    }
  }

  private Techniques() {}

  /** Translation techniques, keyed by the name {@code mmu.type} selects. */
  public static MapBinder<String, MmuFactory> mmus(Binder binder) {
    return MapBinder.newMapBinder(binder, String.class, MmuFactory.class);
  }

  /** Reclamation techniques, keyed by the names listed under {@code reclaim}. */
  public static MapBinder<String, ReclaimerFactory> reclaimers(Binder binder) {
    return MapBinder.newMapBinder(binder, String.class, ReclaimerFactory.class);
  }

  /** Allocation policies, keyed by the name {@code policy.type} selects. */
  public static MapBinder<String, AllocationPolicyFactory> policies(Binder binder) {
    return MapBinder.newMapBinder(binder, String.class, AllocationPolicyFactory.class);
  }

  /** Workload generators and trace readers, keyed by {@code workload.type}. */
  public static MapBinder<String, WorkloadFactory> workloads(Binder binder) {
    return MapBinder.newMapBinder(binder, String.class, WorkloadFactory.class);
  }
}
