package org.memvirt.engine.hypervisor;

import java.util.ArrayList;
import java.util.List;
import org.memvirt.api.reclaim.Reclaimer;
import org.memvirt.api.reclaim.VmMemory;
import org.memvirt.engine.vm.VirtualMachine;

/**
 * A reclamation technique in one run: its name, its owner id in P2M entries, its views of
 * each VM and of host memory, and the reclaimer its factory made from them.
 */
public final class Technique {
  public final String name;
  public final int id;
  final List<TechniqueView> views = new ArrayList<>();
  public final TechniqueHost host;
  public Reclaimer reclaimer;

  Technique(String name, int id, Hypervisor hypervisor, List<VirtualMachine> vms) {
    this.name = name;
    this.id = id;
    for (VirtualMachine vm : vms) {
      views.add(new TechniqueView(vm, hypervisor, id, label()));
    }
    this.host = new TechniqueHost(hypervisor, id, label());
  }

  /** How messages name it. */
  String label() {
    return "reclaim technique " + name;
  }

  public TechniqueView view(VirtualMachine vm) {
    return views.get(vm.index());
  }

  public List<VmMemory> vmViews() {
    return List.copyOf(views);
  }
}
